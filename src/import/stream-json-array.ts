/**
 * Incremental JSON splitter: walks a JSON document arriving in byte chunks and yields the raw bytes of the values
 * a selector asks for (for example each element of a STIX bundle's top-level `objects` array), without ever
 * holding more than one such value in memory. Each yielded value is then decoded and parsed on its own
 * (JSON.parse), so a malformed element is reported with its index and the elements after it still import.
 *
 * Hand-written, although streaming JSON libraries (`stream-json`, `@streamparser/json`) install from npm, for what
 * the readers rely on and those libraries do not hand back as such: the raw bytes and byte offset of each selected
 * value, found without decoding. JSON's structural characters are ASCII and never occur inside UTF-8 multi-byte
 * sequences, so elements are delimited before decoding, and a value with invalid UTF-8 is rejected alone (fatal
 * TextDecoder, with its index and offset) while the values around it still import.
 *
 * The selector sees the path of every value in the structure being walked: object member names, and `*` for
 * array elements (`['objects', '*']`). It answers 'emit' (yield the value's bytes), 'descend' (walk into an
 * object or array; a scalar is skipped), or 'skip' (pass over the value, only tracking nesting and strings).
 * Structural errors outside emitted values and a document that ends early throw JsonStreamError with the byte
 * offset; the values yielded before stay valid.
 */
export type Decision = 'emit' | 'descend' | 'skip';

export interface JsonValueBytes {
  readonly path: readonly string[];
  /** Index of the value in its array (0-based), or the member number in its object. */
  readonly index: number;
  /** Byte offset of the value's first byte in the stream. */
  readonly offset: number;
  readonly bytes: Buffer;
  /**
   * Why the value was not kept (over MAX_VALUE_BYTES, or nested deeper than MAX_VALUE_DEPTH): its bytes are empty
   * and parseJsonValue reports this reason. The scan goes on after it in linear time and constant memory.
   */
  readonly problem?: string;
}

/** The largest emitted value kept (a STIX object, a MISP attribute): larger ones are one reject each. */
export const MAX_VALUE_BYTES = 16 * 1024 * 1024;
/** The deepest nesting inside an emitted value (STIX and MISP objects need a handful of levels). */
export const MAX_VALUE_DEPTH = 64;

export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

interface Frame {
  readonly kind: 'object' | 'array';
  readonly path: readonly string[];
  expect: 'key' | 'colon' | 'value' | 'comma';
  first: boolean;
  index: number;
  key: string;
}

interface Capture {
  readonly emit: boolean;
  readonly path: readonly string[];
  readonly index: number;
  readonly offset: number;
  readonly type: 'container' | 'string' | 'scalar';
  depth: number;
  inString: boolean;
  escape: boolean;
  parts: Buffer[];
  bytes: number;
  problem: string | undefined;
}

const BOM = [0xef, 0xbb, 0xbf];
const isWs = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class JsonSplitter {
  private readonly stack: Frame[] = [];
  private capture: Capture | undefined;
  private keyParts: Buffer[] | undefined;
  private keyEscape = false;
  private rootDone = false;
  private consumed = 0;
  private bom = true;

  constructor(private readonly select: (path: readonly string[]) => Decision) {}

  /** Processes one chunk; returns the values completed in it. */
  push(chunk: Buffer): JsonValueBytes[] {
    const out: JsonValueBytes[] = [];
    let i = 0;
    const n = chunk.length;
    // A UTF-8 byte-order mark, possibly split across chunks.
    while (this.consumed + i < 3 && i < n && this.bom && chunk[i] === BOM[this.consumed + i]) i++;
    if (this.consumed + i < 3 && i < n) this.bom = false;
    while (i < n) {
      if (this.capture) {
        i = this.scanCapture(chunk, i, out);
        continue;
      }
      if (this.keyParts) {
        i = this.scanKey(chunk, i);
        continue;
      }
      const b = chunk[i]!;
      if (isWs(b)) {
        i++;
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        if (this.rootDone) throw this.error(chunk, i, 'unexpected data after the end of the document');
        this.startValue([], 0, chunk, i);
        if (!this.capture) i++;
        continue;
      }
      if (top.kind === 'object') {
        switch (top.expect) {
          case 'key':
            if (b === 0x22) {
              this.keyParts = [];
              this.keyEscape = false;
              i++;
              continue;
            }
            if (b === 0x7d && top.first) {
              this.pop();
              i++;
              continue;
            }
            throw this.error(chunk, i, 'expected a member name');
          case 'colon':
            if (b !== 0x3a) throw this.error(chunk, i, "expected ':'");
            top.expect = 'value';
            i++;
            continue;
          case 'value':
            this.startValue([...top.path, top.key], top.index, chunk, i);
            if (!this.capture) i++;
            continue;
          case 'comma':
            if (b === 0x2c) {
              top.expect = 'key';
              top.first = false;
              top.index++;
              i++;
              continue;
            }
            if (b === 0x7d) {
              this.pop();
              i++;
              continue;
            }
            throw this.error(chunk, i, "expected ',' or '}'");
        }
      } else {
        if (top.expect === 'value') {
          if (b === 0x5d && top.first) {
            this.pop();
            i++;
            continue;
          }
          this.startValue([...top.path, '*'], top.index, chunk, i);
          if (!this.capture) i++;
          continue;
        }
        if (b === 0x2c) {
          top.expect = 'value';
          top.first = false;
          top.index++;
          i++;
          continue;
        }
        if (b === 0x5d) {
          this.pop();
          i++;
          continue;
        }
        throw this.error(chunk, i, "expected ',' or ']'");
      }
    }
    this.consumed += n;
    return out;
  }

  /** Checks that the document is complete; returns a trailing root scalar if there was one. */
  end(): JsonValueBytes[] {
    const c = this.capture;
    if (c && c.type === 'scalar' && this.stack.length === 0) {
      this.capture = undefined;
      this.rootDone = true;
      return c.emit ? [{ path: c.path, index: c.index, offset: c.offset, bytes: Buffer.concat(c.parts) }] : [];
    }
    if (c || this.keyParts || this.stack.length > 0 || !this.rootDone) {
      const where = c ? `inside the value at byte ${c.offset}` : this.stack.length ? `inside ${this.stack.map((f) => (f.kind === 'array' ? '[' : '{')).join('')}` : 'before any value';
      throw new JsonStreamError(`truncated: the input ends ${where}`, this.consumed, true);
    }
    return [];
  }

  private error(chunk: Buffer, i: number, what: string): JsonStreamError {
    const ch = chunk[i]! >= 0x20 && chunk[i]! < 0x7f ? `'${String.fromCharCode(chunk[i]!)}'` : `byte 0x${chunk[i]!.toString(16)}`;
    return new JsonStreamError(`malformed JSON at byte ${this.consumed + i}: ${what}, found ${ch}`, this.consumed + i, false);
  }

  private pop(): void {
    this.stack.pop();
    this.valueDone();
  }

  private valueDone(): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.expect = 'comma';
    else this.rootDone = true;
  }

  private startValue(path: readonly string[], index: number, chunk: Buffer, i: number): void {
    const b = chunk[i]!;
    const decision = this.select(path);
    if (decision === 'descend' && (b === 0x7b || b === 0x5b)) {
      this.stack.push({ kind: b === 0x7b ? 'object' : 'array', path, expect: b === 0x7b ? 'key' : 'value', first: true, index: 0, key: '' });
      return;
    }
    if (b === 0x7d || b === 0x5d || b === 0x2c || b === 0x3a) throw this.error(chunk, i, 'expected a value');
    this.capture = {
      emit: decision === 'emit',
      path,
      index,
      offset: this.consumed + i,
      type: b === 0x7b || b === 0x5b ? 'container' : b === 0x22 ? 'string' : 'scalar',
      depth: 0,
      inString: false,
      escape: false,
      parts: [],
      bytes: 0,
      problem: undefined,
    };
  }

  /** Scans the captured value from chunk[i]; returns the index after the bytes consumed. */
  private scanCapture(chunk: Buffer, start: number, out: JsonValueBytes[]): number {
    const c = this.capture!;
    const n = chunk.length;
    let i = start;
    let done = -1; // index after the value's last byte
    if (c.type === 'scalar') {
      while (i < n) {
        const b = chunk[i]!;
        if (b === 0x2c || b === 0x7d || b === 0x5d || isWs(b)) {
          done = i;
          break;
        }
        i++;
      }
    } else {
      let { depth, inString, escape } = c;
      const isString = c.type === 'string';
      while (i < n) {
        if (inString) {
          // Inside a string only its closing quote matters: found by memchr (indexOf), not byte by byte; a quote
          // after an odd run of backslashes is escaped. An escape cut by the chunk's end carries over.
          if (escape) {
            escape = false;
            i++;
            continue;
          }
          const quote = chunk.indexOf(0x22, i);
          let k = quote < 0 ? n : quote;
          while (k > i && chunk[k - 1] === 0x5c) k--;
          const backslashes = (quote < 0 ? n : quote) - k;
          if (quote < 0) {
            escape = (backslashes & 1) === 1;
            i = n;
            break;
          }
          i = quote + 1;
          if ((backslashes & 1) === 1) continue;
          inString = false;
          if (isString) {
            done = i;
            break;
          }
          continue;
        }
        const b = chunk[i]!;
        i++;
        if (b === 0x22) inString = true;
        else if (b === 0x7b || b === 0x5b) {
          depth++;
          if (depth > MAX_VALUE_DEPTH && c.emit && !c.problem) c.problem = `nested deeper than ${MAX_VALUE_DEPTH} levels`;
        } else if (b === 0x7d || b === 0x5d) {
          depth--;
          if (depth === 0) {
            done = i;
            break;
          }
        }
      }
      c.depth = depth;
      c.inString = inString;
      c.escape = escape;
    }
    const end = done < 0 ? n : done;
    c.bytes += end - start;
    if (c.emit && !c.problem && c.bytes > MAX_VALUE_BYTES) c.problem = `value larger than ${MAX_VALUE_BYTES} bytes`;
    if (c.problem) c.parts = [];
    if (done < 0) {
      if (c.emit && !c.problem) c.parts.push(Buffer.from(chunk.subarray(start)));
      return n;
    }
    if (c.emit && c.problem) out.push({ path: c.path, index: c.index, offset: c.offset, bytes: Buffer.alloc(0), problem: c.problem });
    else if (c.emit) {
      c.parts.push(chunk.subarray(start, done));
      // A value inside one chunk is a view of it (no copy): chunks are never reused by their producers.
      out.push({ path: c.path, index: c.index, offset: c.offset, bytes: c.parts.length === 1 ? c.parts[0]! : Buffer.concat(c.parts) });
    }
    this.capture = undefined;
    this.valueDone();
    return done;
  }

  private scanKey(chunk: Buffer, start: number): number {
    const n = chunk.length;
    let i = start;
    while (i < n) {
      const b = chunk[i]!;
      i++;
      if (this.keyEscape) this.keyEscape = false;
      else if (b === 0x5c) this.keyEscape = true;
      else if (b === 0x22) {
        this.keyParts!.push(chunk.subarray(start, i - 1));
        const raw = Buffer.concat(this.keyParts!);
        this.keyParts = undefined;
        const top = this.stack[this.stack.length - 1]!;
        try {
          top.key = JSON.parse(`"${utf8.decode(raw)}"`) as string;
        } catch {
          throw new JsonStreamError(`malformed JSON at byte ${this.consumed + i}: invalid member name`, this.consumed + i, false);
        }
        top.expect = 'colon';
        return i;
      }
    }
    this.keyParts!.push(Buffer.from(chunk.subarray(start)));
    return n;
  }
}

/** Streams the selected values of a JSON document, the values completed in each chunk together (one await per chunk). */
export async function* streamJsonBatches(chunks: AsyncIterable<Buffer>, select: (path: readonly string[]) => Decision): AsyncGenerator<JsonValueBytes[]> {
  const splitter = new JsonSplitter(select);
  for await (const chunk of chunks) {
    const values = splitter.push(chunk);
    if (values.length) yield values;
  }
  const last = splitter.end();
  if (last.length) yield last;
}

/** Streams the selected values of a JSON document. */
export async function* streamJsonValues(chunks: AsyncIterable<Buffer>, select: (path: readonly string[]) => Decision): AsyncGenerator<JsonValueBytes> {
  const splitter = new JsonSplitter(select);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** Decodes and parses one emitted value: the value, or the reason it is not valid JSON. */
export function parseJsonValue(bytes: Buffer, problem?: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (problem) return { ok: false, reason: problem };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: 'malformed JSON' };
  }
}
