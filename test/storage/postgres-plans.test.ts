/**
 * PostgreSQL query plans on a realistically sized table (100k indicators): every list shape of the API is served
 * by an index (no sequential scan of the indicator table), and the last page costs what the first does (keyset
 * paging; measured in buffers touched, which is deterministic, not in time).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../src/model/model.js';
import { readEntity } from '../../src/odata/deserialize/read-entity.js';
import { encodeSkipToken } from '../../src/odata/paging/skip-token.js';
import { postgresDialect } from '../../src/storage/postgres/postgres-dialect.js';
import type { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import { compileCollectionQuery } from '../../src/storage/sql/compile-query.js';
import type { WriteRecord } from '../../src/model/records.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import { planFor, TEST_TOKEN_KEY } from './store-cases.js';

const PROFILES = 100;
const PER_PROFILE = 1000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

if (!TEST_DATABASE_URL) {
  it('postgres query plans', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  describe('postgres query plans at 100k indicators', () => {
    let store: PostgresStore;
    const schema = deriveSchema(MODEL);
    const table = schema.tableOf(MODEL.entitySet('intelligenceProfileIndicators')!.entityType).name;

    before(async () => {
      store = await createTestPostgresStore({ poolSize: 2 });
      const profileType = MODEL.entitySet('intelProfiles')!.entityType;
      for (let p = 0; p < PROFILES; p++) {
        const indicators = Array.from({ length: PER_PROFILE }, (_, k) => ({
          id: `i-${String(p).padStart(3, '0')}-${String(k).padStart(5, '0')}`,
          source: ['microsoft', 'osint', 'public'][k % 3],
          firstSeenDateTime: new Date(Date.UTC(2020, 0, 1) + ((k * 7919 + p * 104729) % 1500) * 86400000).toISOString(),
          lastSeenDateTime: k % 5 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + (k % 300) * 86400000).toISOString(),
          artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: `h${k}.p${p}.example` },
        }));
        const writes: WriteRecord[] = readEntity(
          MODEL,
          profileType,
          { id: `p${p}`, title: `P ${p}`, kind: 'actor', firstActiveDateTime: '2020-01-01T00:00:00Z', summary: { content: 's', format: 'text' }, description: { content: 'd', format: 'text' }, indicators },
          { partial: false },
        ).writes;
        await store.write(writes);
      }
      await store.pool.query('ANALYZE');
    });
    after(() => store?.close());

    async function explain(path: string, query: string): Promise<PlanNode> {
      const compiled = compileCollectionQuery(planFor(path, query, 100).query, schema, postgresDialect);
      const r = await store.pool.query({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${compiled.sql}`, values: compiled.parameters as unknown[] });
      return (r.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    }

    const shapes: [string, string, (string | number | null)[]][] = [
      ['intelProfiles/p42/indicators', '', ['i-042-00900']],
      ['intelProfiles/p42/indicators', '$orderby=firstSeenDateTime desc', [Date.UTC(2020, 0, 2), 'i-042-00001']],
      ['intelProfiles/p42/indicators', "$filter=source eq 'osint'&$orderby=firstSeenDateTime desc", [Date.UTC(2020, 0, 2), 'i-042-00001']],
      ['intelProfiles/p42/indicators', '$orderby=lastSeenDateTime', [Date.UTC(2025, 9, 1), 'i-042-00001']],
      ['intelligenceProfileIndicators', '', ['i-099-00900']],
      ['intelligenceProfileIndicators', '$orderby=firstSeenDateTime', [Date.UTC(2024, 0, 1), 'i-099-00001']],
      ['intelProfiles', "$filter=indicators/any(i: i/artifact/id eq 'h7.p42.example')", ['p0']],
    ];

    for (const [path, query, deep] of shapes) {
      it(`${path}?${query || '(default order)'}: indexed, and a deep page costs what the first does`, async () => {
        const token = encodeSkipToken(planFor(path, query, 100).shape, deep, TEST_TOKEN_KEY);
        const first = await explain(path, query);
        const last = await explain(path, [query, `$skiptoken=${token}`].filter(Boolean).join('&'));
        for (const plan of [first, last]) {
          const seq = nodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table);
          assert.deepEqual(seq, [], `sequential scan of ${table}: ${JSON.stringify(plan).slice(0, 600)}`);
        }
        const blocks = (p: PlanNode): number => (p['Shared Hit Blocks'] ?? 0) + (p['Shared Read Blocks'] ?? 0);
        assert.ok(blocks(last) <= blocks(first) * 1.5 + 20, `first page ${blocks(first)} blocks, deep page ${blocks(last)} blocks`);
      });
    }
  });
}
