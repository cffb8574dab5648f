/**
 * MISP's REST API form, `{"response": [{"Event": …}, …]}` (how ESET publishes its events, ../shared/datasets/
 * misp-feed/eset): each event is read as a feed's event file would be, with its own profiles; with more than one
 * event, positions name the event. It was rejected whole as "not a MISP event or galaxy cluster file".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byReason, counts, datasetSkip, ds, importInto, inputFiles, memoryStore, positions } from '../helpers.js';

const input = inputFiles('tigraph-misp-response-');

const event = (info: string, tool: string, domains: string[]) => ({
  Event: {
    info,
    date: '2021-03-04',
    timestamp: '1614816000',
    Tag: [{ name: `tool="${tool}"` }],
    Attribute: domains.map((value) => ({ type: 'domain', category: 'Network activity', value, to_ids: true, timestamp: '1614816000' })),
  },
});

describe('MISP REST API responses', () => {
  it('two events: each one\'s indicators under its own profile; rejects name the event', async () => {
    const store = memoryStore();
    try {
      const body = { response: [event('first', 'FirstTool', ['a.example.com', 'b.example.com']), event('second', 'SecondTool', ['c.example.com', '300.1.1.1'])] };
      const s = await importInto(store, [await input('response.json', JSON.stringify(body))]);
      assert.deepEqual(s.files.map((f) => f.profiles.map((p) => [p.profileId, p.indicators])), [[['firsttool', 2], ['secondtool', 1]]]);
      assert.deepEqual(byReason(s.rejected), { 'invalid IP address': 1 });
      assert.deepEqual(positions(s.rejected, 'invalid IP address'), ['event 1 attribute 1 "300.1.1.1"']);
      assert.deepEqual(await counts(store), { profiles: 2, indicators: 3 });
    } finally {
      await store.close();
    }
  });

  it('a response without events is one reject', async () => {
    const store = memoryStore();
    try {
      const s = await importInto(store, [await input('empty-response.json', '{"response": []}')]);
      assert.deepEqual(byReason(s.rejected), { 'a MISP API response without events': 1 });
    } finally {
      await store.close();
    }
  });

  it("ESET's five events: their galaxies become profiles (every attribute there is to_ids false: context only, skipped)", { skip: datasetSkip }, async () => {
    const store = memoryStore();
    try {
      const s = await importInto(store, [ds('misp-feed/eset')]);
      assert.deepEqual(
        s.files.map((f) => [f.path, f.profiles.map((p) => p.profileId)]),
        [
          ['cloudmensis.misp.json', []],
          ['gaming_supply_chain.misp_event.json', ['axiom']],
          ['misp-turla-crutch-event.json', ['turla-group']],
          ['oceanlotus-wateringhole-2018.misp.event.json', ['apt32']],
          ['signsight-misp-event.json', []],
        ],
      );
      assert.deepEqual(byReason(s.rejected), {});
      assert.deepEqual(await counts(store), { profiles: 3, indicators: 0 });
    } finally {
      await store.close();
    }
  });
});
