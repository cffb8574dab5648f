/**
 * Counts skip/reject reasons in bounded memory, whatever the input: at most MAX_REASONS distinct reasons are kept
 * by name (each with its count and its first positions); reasons beyond them are counted together under
 * OTHER_REASONS, whose examples keep position and reason text. A reason longer than MAX_REASON_LENGTH is cut, so
 * a reason quoting an input value (an unknown type, say) cannot hold a whole line. Millions of distinct unknown
 * types therefore cost MAX_REASONS + 1 entries, and the printed summary stays a few lines.
 */
import type { ReasonCount } from './import-summary.js';

export const MAX_REASONS = 20;
export const MAX_REASON_LENGTH = 160;
export const OTHER_REASONS = 'other reasons';

const cut = (s: string): string => (s.length > MAX_REASON_LENGTH ? `${s.slice(0, MAX_REASON_LENGTH)}…` : s);

/** Counts one occurrence of `reason` at `position` in `map`, keeping at most `maxPositions` examples per reason. */
export function tallyReason(map: Map<string, ReasonCount>, reason: string, position: string, maxPositions: number): void {
  const name = cut(reason);
  let r = map.get(name);
  let example = cut(position);
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
