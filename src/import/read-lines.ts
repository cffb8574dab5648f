/**
 * Lines of a byte stream, decoded one by one with a fatal UTF-8 decoder, so that a line with invalid bytes is
 * reported (with its number) instead of silently becoming U+FFFD, and the lines around it still import.
 * node:readline decodes the whole stream leniently, which would hide exactly that. Handles LF and CRLF, a
 * UTF-8 byte-order mark, and a last line without a newline.
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

export async function* readLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Line> {
  let carry: Buffer | undefined;
  let lineNo = 0;
  for await (const chunk of chunks) {
    let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      yield decode(++lineNo, buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) carry = Buffer.from(buf.subarray(start));
    buf = Buffer.alloc(0);
  }
  if (carry && carry.length) yield decode(++lineNo, carry);
}
