/**
 * Lines of a byte stream, decoded one by one with a fatal UTF-8 decoder, so that a line with invalid bytes is
 * reported (with its number) instead of silently becoming U+FFFD, and the lines around it still import.
 * node:readline decodes the whole stream leniently, which would hide exactly that. Handles LF and CRLF, a
 * UTF-8 byte-order mark, and a last line without a newline. Lines are bounded (MAX_LINE_BYTES) and read in linear
 * time and bounded memory.
 */
export type Line = { readonly lineNo: number; readonly text: string } | { readonly lineNo: number; readonly text: undefined; readonly error: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decode(lineNo: number, bytes: Buffer): Line {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  try {
    return { lineNo, text: decoder.decode(bytes.subarray(0, end)) };
  } catch {
    return { lineNo, text: undefined, error: 'not valid UTF-8' };
  }
}

/** The longest line read; a longer one is one reject ('line longer than …'), its bytes not kept. */
export const MAX_LINE_BYTES = 1 << 20;

export async function* readLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Line> {
  // The unfinished line's pieces, joined once when its newline arrives: linear in the input, however long the
  // line (joining the carry to every chunk would copy a 200 MB line thousands of times).
  let parts: Buffer[] = [];
  let bytes = 0;
  let lineNo = 0;
  const finish = (last: Buffer | undefined): Line => {
    const total = bytes + (last?.length ?? 0);
    const line: Line =
      total > MAX_LINE_BYTES
        ? { lineNo: ++lineNo, text: undefined, error: `line longer than ${MAX_LINE_BYTES} bytes` }
        : decode(++lineNo, parts.length === 0 ? (last ?? Buffer.alloc(0)) : Buffer.concat(last ? [...parts, last] : parts));
    parts = [];
    bytes = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      yield finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // Past the limit the pieces are dropped (only their length counts): memory stays bounded too.
      if (bytes + rest.length <= MAX_LINE_BYTES) parts.push(Buffer.from(rest));
      else parts = [];
      bytes += rest.length;
    }
  }
  if (bytes > 0) yield finish(undefined);
}
