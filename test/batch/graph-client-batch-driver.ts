/**
 * Child process of graph-client-batch.test.ts (it trusts the dev CA through NODE_EXTRA_CA_CERTS only): builds a
 * mixed batch with @microsoft/microsoft-graph-client's BatchRequestContent (a read, a write, a read of what was
 * written, a failing request and one depending on it; serial, as the client demands of a batch with dependsOn), posts it to /v1.0/$batch over HTTPS, reads it
 * back with BatchResponseContent, and prints what it saw as JSON.
 */
import { BatchRequestContent, BatchResponseContent, Client } from '@microsoft/microsoft-graph-client';

const { url, token, indicatorId } = JSON.parse(process.env['TIGRAPH_BATCH_TEST']!) as { url: string; token: string; indicatorId: string };
const TI = '/security/threatIntelligence';
const client = Client.init({ authProvider: (done) => done(null, token), baseUrl: url, customHosts: new Set([new URL(url).hostname]) });
const json = { 'Content-Type': 'application/json' };
const profile = { title: 'Batch Tempest', kind: 'actor', firstActiveDateTime: '2023-04-01T00:00:00Z', summary: { content: 'Created in a batch.', format: 'text' }, description: { content: 'Created in a batch.', format: 'markdown' } };

const batch = new BatchRequestContent([
  { id: 'read', request: new Request(`${url}/v1.0${TI}/intelligenceProfileIndicators/${indicatorId}?$select=id,source`, { method: 'GET' }) },
  { id: 'create', request: new Request(`${url}/v1.0${TI}/intelProfiles`, { method: 'POST', headers: json, body: JSON.stringify(profile) }), dependsOn: ['read'] },
  { id: 'readCreated', request: new Request(`${url}/v1.0${TI}/intelProfiles/batch-tempest`, { method: 'GET' }), dependsOn: ['create'] },
  { id: 'missing', request: new Request(`${url}/v1.0${TI}/intelProfiles/no-such-profile`, { method: 'GET' }), dependsOn: ['readCreated'] },
  { id: 'afterMissing', request: new Request(`${url}/v1.0${TI}/intelProfiles`, { method: 'GET' }), dependsOn: ['missing'] },
]);
const content = await batch.getContent();
const raw = await client.api('/$batch').version('v1.0').post(content);
const responses = new BatchResponseContent(raw);
const out: Record<string, { status: number; body: unknown }> = {};
for (const [id, r] of responses.getResponses()) out[id] = { status: r.status, body: r.status === 204 ? null : await r.json() };
console.log(JSON.stringify(out));
