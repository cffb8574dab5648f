/** The bulk import action over HTTP: 202 + Location, polling to a final status with exact counts, 4xx cases. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WRITE } from '../../src/auth/require-permission.js';
import { submitImport, waitForJob } from '../support/import-action.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
let writeToken: string;
before(async () => {
  s = await startTestServer({ seed: 'none' });
  writeToken = await s.mint({ roles: [WRITE] });
});
after(() => s.close());

const post = (version: string, query: string, body: string, contentType: string, token: string | undefined = writeToken): Promise<Response> =>
  submitImport(s, token, query, contentType, body, version);
const poll = (location: string): Promise<any> => waitForJob(s, location);

const obj = (o: Record<string, unknown>) => ({ spec_version: '2.1', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', ...o });
const bundle = {
  type: 'bundle',
  id: 'bundle--00000000-0000-4000-8000-000000000000',
  objects: [
    obj({ type: 'intrusion-set', id: 'intrusion-set--00000000-0000-4000-8000-000000000001', name: 'Job Tempest', aliases: ['JOB-1'] }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000002', pattern: "[domain-name:value = 'Job.Example.'] OR [ipv4-addr:value = '192.0.2.77']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000003', pattern: "[url:value = 'hxxps://job[.]example/x']", pattern_type: 'stix', valid_from: '2024-03-01T00:00:00Z', x_last_seen: '2024-04-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000004', pattern: "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000005', pattern: "[ipv4-addr:value = '300.1.2.3']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    ...[2, 3, 4, 5].map((n) =>
      obj({ type: 'relationship', id: `relationship--00000000-0000-4000-8000-00000000001${n}`, relationship_type: 'indicates', source_ref: `indicator--00000000-0000-4000-8000-00000000000${n}`, target_ref: 'intrusion-set--00000000-0000-4000-8000-000000000001' }),
    ),
  ],
};

describe('POST …/threatIntelligence/microsoft.graph.security.import', () => {
  it('a STIX bundle: 202 + Location, polled to succeeded with exact counts; the data is readable at once', async () => {
    const r = await post('beta', '', JSON.stringify(bundle), 'application/json');
    assert.equal(r.status, 202, await r.clone().text());
    const location = r.headers.get('location')!;
    assert.match(location, new RegExp(`^${s.url}/beta${TI}/importJobs/[0-9a-f-]{36}$`));
    const accepted = (await r.json()) as any;
    assert.ok(['notStarted', 'running'].includes(accepted.status));
    assert.equal(location.endsWith(accepted.id), true);
    assert.match(accepted.createdDateTime, /^\d{4}-\d\d-\d\dT/);
    assert.equal(accepted.completedDateTime, null);

    const job = await poll(location);
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    assert.equal(job.format, 'stix');
    assert.match(job.completedDateTime, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(job.summary.profiles, { created: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(job.summary.indicators, { created: 3, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.equal(job.summary.skipped.count, 1);
    assert.equal(job.summary.skipped.reasons[0].reason, 'hash pattern');
    assert.deepEqual(job.summary.skipped.reasons[0].positions, [`object 3 "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"`]);
    assert.deepEqual(job.summary.rejected, { count: 1, reasons: [{ reason: 'invalid IPv4 address', count: 1, positions: ['object 4 "300.1.2.3"'] }] });

    const list = await s.json(`/v1.0${TI}/intelProfiles/job-tempest/indicators?$expand=artifact&$orderby=firstSeenDateTime`);
    assert.equal(list.status, 200);
    const rows = list.body.value.map((i: any) => [i.artifact.value ?? i.artifact.id, i.firstSeenDateTime, i.lastSeenDateTime]).sort();
    assert.deepEqual(rows, [
      ['192.0.2.77', '2024-02-01T00:00:00.000Z', null],
      ['https://job.example/x', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      // listed itself (first seen 2024-02-01, no last seen) and the host of the URL (last seen 2024-04-01): merged
      ['job.example', '2024-02-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ]);
    assert.equal(job.summary.hostsFromUrls, 1);
    assert.deepEqual(job.summary.files, [{ format: 'stix', withoutProfile: 0, profiles: [{ profileId: 'job-tempest', title: 'Job Tempest', rule: 'new', indicators: 3 }] }]);

    // The same bundle again: nothing new.
    const again = await poll((await post('v1.0', '', JSON.stringify(bundle), 'application/json')).headers.get('location')!);
    assert.deepEqual(again.summary.indicators, { created: 0, updated: 0, unchanged: 3, withoutProfile: 0 });
    const jobs = await s.json(`/v1.0${TI}/importJobs`);
    assert.equal(jobs.body.value[0].id, again.id, 'newest first');
  });

  it('an IOC list (text/plain) with ?profile= and ?source=; malformed lines are rejected with their position', async () => {
    const list = '# a comment\nbad-host-one.example\n10.0.0.300\nhxxp://bad[.]example/gate\n203.0.113.9:8080\n';
    const r = await post('v1.0', '?profile=List%20Storm&source=public', list, 'text/plain; charset=utf-8');
    assert.equal(r.status, 202);
    const job = await poll(r.headers.get('location')!);
    assert.equal(job.status, 'succeeded');
    assert.equal(job.format, 'ioc-list');
    assert.deepEqual(job.summary.profiles, { created: 1, updated: 0, unchanged: 0 });
    // three values and bad.example, the host of the URL
    assert.deepEqual(job.summary.indicators, { created: 4, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(job.summary.rejected, { count: 1, reasons: [{ reason: 'invalid IPv4 address', count: 1, positions: ['line 3 "10.0.0.300"'] }] });
    assert.deepEqual(job.summary.files[0].profiles, [{ profileId: 'list-storm', title: 'List Storm', rule: '--profile', indicators: 3 }]);
    const read = await s.json(`/v1.0${TI}/intelProfiles/list-storm/indicators?$filter=source eq 'public'&$count=true`);
    assert.equal(read.body['@odata.count'], 4);
  });

  it('?strict=true with a rejected record: the job fails and nothing is written', async () => {
    const r = await post('v1.0', '?strict=true&name=apt_strictgroup.txt', 'fine-host.example\n999.1.1.1\n', 'text/plain');
    assert.equal(r.status, 202);
    const job = await poll(r.headers.get('location')!);
    assert.equal(job.status, 'failed');
    assert.equal(job.summary.aborted, true);
    assert.equal(job.error, 'strict: rejected records found; nothing was written');
    assert.deepEqual(job.summary.rejected.reasons[0].positions, ['line 2 "999.1.1.1"']);
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/strictgroup`)).status, 404);
  });

  it('a malformed body is a 400 naming the position; bad options 400; unsupported media type 415', async () => {
    const bad = await post('v1.0', '', '{"type":"bundle","objects":[{"type":"indicator",}]}', 'application/json');
    assert.equal(bad.status, 400);
    const err = ((await bad.json()) as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'BadRequest');
    assert.match(err.message, /not valid JSON.*position 48|not valid JSON.*column 49/);
    assert.equal((await post('v1.0', '', '{"hello":1}', 'application/json')).status, 400);
    assert.equal((await post('v1.0', '', '', 'application/json')).status, 400);
    assert.equal((await post('v1.0', '?format=yaml', 'x', 'text/plain')).status, 400);
    assert.equal((await post('v1.0', '?source=somebody', 'x', 'text/plain')).status, 400);
    assert.equal((await post('v1.0', '', 'evil.example\n', 'text/plain')).status, 400, 'an IOC list needs ?profile= or ?name=');
    assert.equal((await post('v1.0', '', '<x/>', 'application/xml')).status, 415);
  });

  it('401 without a token, 403 without ThreatIntelligence.ReadWrite.All; 404 for an unknown job; 405 for GET on the action', async () => {
    assert.equal((await post('v1.0', '', JSON.stringify(bundle), 'application/json', '')).status, 401);
    const forbidden = await post('v1.0', '', JSON.stringify(bundle), 'application/json', s.token);
    assert.equal(forbidden.status, 403);
    assert.equal(((await forbidden.json()) as { error: { message: string } }).error.message, 'Auth token does not contain valid permissions or user does not have valid roles. Required permission: ThreatIntelligence.ReadWrite.All.');
    assert.equal((await s.json(`/v1.0${TI}/importJobs/00000000-0000-0000-0000-000000000000`)).status, 404);
    assert.equal((await s.json(`/v1.0${TI}/importJobs`)).status, 200);
    assert.equal((await fetch(`${s.url}/v1.0${TI}/importJobs`)).status, 401);
    assert.equal((await s.json(`/v1.0${TI}/microsoft.graph.security.import`)).status, 405);
  });
});
