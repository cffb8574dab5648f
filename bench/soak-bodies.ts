/** The bodies the soak sends (`bench/soak.ts`): a profile to create, and a STIX 2.1 bundle for the import action. */

/** A profile body with the required properties. */
export const soakProfile = (title: string): Record<string, unknown> => ({
  title,
  kind: 'actor',
  firstActiveDateTime: '2023-04-01T00:00:00Z',
  summary: { content: 'soak', format: 'text' },
  description: { content: 'soak', format: 'text' },
});

const hex12 = (i: number): string => i.toString(16).padStart(12, '0');

/** One intrusion-set and `n` domain indicators indicating it (deterministic: re-importing it updates, never grows). */
export function soakBundle(n: number): Record<string, unknown> {
  const set = 'intrusion-set--00000000-0000-4000-8000-50a650a650a6';
  const at = '2024-01-01T00:00:00.000Z';
  const objects: Record<string, unknown>[] = [{ type: 'intrusion-set', spec_version: '2.1', id: set, created: at, modified: at, name: 'Soak Group', first_seen: at }];
  for (let i = 0; i < n; i++) {
    const id = `indicator--00000000-0000-4000-9000-${hex12(i)}`;
    objects.push({ type: 'indicator', spec_version: '2.1', id, created: at, modified: at, pattern: `[domain-name:value = 'h${i}.soak.example']`, pattern_type: 'stix', valid_from: at });
    objects.push({ type: 'relationship', spec_version: '2.1', id: `relationship--00000000-0000-4000-a000-${hex12(i)}`, created: at, modified: at, relationship_type: 'indicates', source_ref: id, target_ref: set });
  }
  return { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects };
}

/** The Graph error message of a response body, or its first 200 characters. */
export function errorMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
