/**
 * Input planning: expands files, directories and stdin into the (file, format) list an import reads, in a stable
 * order. The format is --format, else detectFormat() of the file's name and first bytes. A directory with a MISP
 * feed's `manifest.json` is a MISP feed (its event files); any other directory is walked (sorted, hidden files and
 * LICENSE/README/*.md/*.tsv left out).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DETECTION_HEAD_BYTES, detectFormat, type ImportFormat } from './detect-format.js';
import { InputError, ioReason } from './import-errors.js';

export interface PlannedFile {
  readonly path: string;
  /** undefined: not recognised (the import reports it and goes on). */
  readonly format: ImportFormat | undefined;
  readonly bytes: number;
}

/** The first bytes of a file, as text. */
export async function readHead(path: string, bytes = DETECTION_HEAD_BYTES): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

const IGNORED = /^(\.|license|licence|readme|manifest\.tsv$)|\.(md|tsv|sha256|asc|sig)$/i;

/** ioReason, with a hint: inside a directory, a missing entry is a link to nothing. */
const why = (e: unknown): string => `${ioReason(e)}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ' (a dangling symbolic link?)' : ''}`;

async function statOf(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch (e) {
    throw new InputError(`${path}: ${why(e)}`);
  }
}

/**
 * Whether `manifest.json` is a MISP feed's: an object of events by uuid, each with its `info` (any other file of
 * that name, `{"name": …}` say, is imported as itself and does not turn its directory into a feed).
 */
async function isFeedManifest(path: string): Promise<boolean> {
  const head = await readHead(path).catch(() => '');
  return /^\s*\{\s*"[^"]+"\s*:\s*\{/.test(head.replace(/^\uFEFF/, '')) && /"info"\s*:/.test(head);
}

/**
 * Files under `path` to import, in a stable order. Each real directory is walked once (`seen`, by device and
 * inode), so a symbolic link back to a directory above it is not followed round; entries that are neither files
 * nor directories (sockets, FIFOs, devices) are left out; an entry that cannot be read is an InputError.
 */
export async function expandInput(path: string, seen = new Set<string>()): Promise<{ files: string[]; mispFeed: boolean }> {
  const s = await statOf(path);
  if (!s.isDirectory()) return { files: [path], mispFeed: false };
  const key = `${s.dev}:${s.ino}`;
  if (seen.has(key)) return { files: [], mispFeed: false };
  seen.add(key);
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (e) {
    throw new InputError(`${path}: ${why(e)}`);
  }
  if (names.includes('manifest.json') && (await isFeedManifest(join(path, 'manifest.json')))) {
    return { files: names.filter((n) => n.endsWith('.json') && n !== 'manifest.json').map((n) => join(path, n)), mispFeed: true };
  }
  const files: string[] = [];
  for (const name of names) {
    if (IGNORED.test(name)) continue;
    const p = join(path, name);
    const st = await statOf(p);
    if (st.isDirectory()) files.push(...(await expandInput(p, seen)).files);
    else if (st.isFile()) files.push(p);
  }
  return { files, mispFeed: false };
}

/** Every file of the inputs with its format and size. */
export async function planInputs(inputs: readonly string[], format: ImportFormat | undefined): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  for (const input of inputs) {
    const { files: paths, mispFeed } = await expandInput(input);
    for (const path of paths) {
      const detected = format ?? (mispFeed ? 'misp' : detectFormat({ name: path, head: await readHead(path) }));
      files.push({ path, format: detected, bytes: (await stat(path)).size });
    }
  }
  return files;
}

/** Copies stdin to a temporary file (formats are detected from the first bytes, and readers make two passes). */
export async function spoolStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-import-'));
  const file = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(file));
  return file;
}

/**
 * Bytes per read of an input file. A reader handles a chunk's objects without yielding to the event loop, and the
 * database's answers to the batches in flight wait meanwhile: on PostgreSQL every batch holds the ingestion clock
 * (every other writer waits) across a dozen round trips, each answered only when the reading thread yields. With
 * 1 MiB chunks the clock was free 3.9–4.3 s of a 300k-indicator load's 14–16 s (from one commit to the next batch
 * taking it), and the event loop's delay was 15 ms at the 90th percentile; with 64 KiB, 2.8–3.9 s and 9.5 ms, and the
 * import took 14.0–15.2 s against 15.4–19.3 s (3 interleaved pairs on 2 cores; 16 KiB gained nothing more).
 * SQLite's writer thread answers by message and its loads did not change (12.5–14.2 s either way).
 */
export const READ_CHUNK_BYTES = 1 << 16;

/** The file's bytes in chunks of at most READ_CHUNK_BYTES, counting them into `onBytes`. */
export async function* readFileChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
    onBytes?.((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}
