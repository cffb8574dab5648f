/**
 * The widest object of a JSON text, found in one linear pass over its characters without building any value: a
 * body of a million keys is refused before JSON.parse spends seconds of the event loop on an object of a million
 * properties. Each member of an object has exactly one ':' at that object's own depth (outside strings), so counting
 * colons per open object is enough. Lenient: a text that is not JSON gets a count, and JSON.parse then says why it is
 * not JSON.
 */
export interface WidestObject {
  /** Members of the widest object (0 when the text has none). */
  readonly members: number;
  /** Character offset where that object starts. */
  readonly at: number;
  /** True when it is the outermost value. */
  readonly root: boolean;
}

export function widestObject(text: string): WidestObject {
  // Per open container: its member count, or -1 for an array; and where it started.
  const counts: number[] = [];
  const starts: number[] = [];
  let widest: WidestObject = { members: 0, at: 0, root: false };
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x22: // "
        inString = true;
        break;
      case 0x7b: // {
        counts.push(0);
        starts.push(i);
        break;
      case 0x5b: // [
        counts.push(-1);
        starts.push(i);
        break;
      case 0x3a: // :
        if (counts.length > 0 && counts[counts.length - 1]! >= 0) counts[counts.length - 1]!++;
        break;
      case 0x7d: // }
      case 0x5d: {
        // ]
        const n = counts.pop();
        const at = starts.pop();
        if (n !== undefined && n > widest.members) widest = { members: n, at: at!, root: counts.length === 0 };
        break;
      }
    }
  }
  return widest;
}
