/**
 * Counts skip/reject reasons in bounded memory, whatever the input: at most MAX_REASONS distinct reasons are kept
 * by name (each with its count and its first positions); reasons beyond them are counted together under
 * OTHER_REASONS, whose examples keep position and reason text. A reason longer than MAX_REASON_LENGTH is cut, so
 * a reason quoting an input value (an unknown type, say) cannot hold a whole line. Millions of distinct unknown
 * types therefore cost MAX_REASONS + 1 entries, and the printed summary stays a few lines.
 *
 * An example is the position, then the offending value when the reader knows it, quoted as JSON and cut at
 * MAX_VALUE_LENGTH characters (`line 12 "91.109.190.5:660666"`), so a summary says what was refused, not only where.
 */
import type { ReasonCount } from './import-summary.js';

export const MAX_REASONS = 20;
export const MAX_REASON_LENGTH = 160;
export const MAX_VALUE_LENGTH = 60;
export const OTHER_REASONS = 'other reasons';

const cutAt = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const cut = (s: string): string => cutAt(s, MAX_REASON_LENGTH);

/** Counts one occurrence of `reason` at `position` in `map`, keeping at most `maxPositions` examples per reason. */
export function tallyReason(map: Map<string, ReasonCount>, reason: string, position: string, maxPositions: number, value?: string): void {
  const name = cut(reason);
  let r = map.get(name);
  let example = value === undefined ? cut(position) : `${cut(position)} ${JSON.stringify(cutAt(value, MAX_VALUE_LENGTH))}`;
  if (!r) {
    if (map.size >= MAX_REASONS) {
      r = map.get(OTHER_REASONS);
      if (!r) map.set(OTHER_REASONS, (r = { count: 0, positions: [] }));
      example = `${example}: ${name}`;
    } else map.set(name, (r = { count: 0, positions: [] }));
  }
  r.count++;
  if (r.positions.length < maxPositions) r.positions.push(example);
}
