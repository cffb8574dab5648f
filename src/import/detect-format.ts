/**
 * Import inputs: expands files, directories and stdin into (file, format) pairs. The format is --format, else
 * guessed from the extension and the first bytes: JSON with a bundle/`objects` → stix; with `Event`/`Attribute`
 * or a galaxy's `values` → misp; `.csv` or a first line naming the IoC column → mstic-csv; anything else
 * textual → ioc-list. A directory with `manifest.json` is a MISP feed (its event files); any other directory is
 * walked (sorted, hidden files and LICENSE/README/*.md/*.tsv left out).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const FORMATS = ['stix', 'misp', 'mstic-csv', 'ioc-list'] as const;
export type ImportFormat = (typeof FORMATS)[number];

async function head(path: string, bytes = 65536): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

export async function detectFormat(path: string): Promise<ImportFormat | undefined> {
  const ext = extname(path).toLowerCase();
  const text = (await head(path)).replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (first === '{' || first === '[' || ext === '.json') {
    if (/"type"\s*:\s*"bundle"/.test(text) || /"spec_version"\s*:/.test(text) || /"objects"\s*:\s*\[/.test(text)) return 'stix';
    if (/"Event"\s*:|"Attribute"\s*:/.test(text)) return 'misp';
    if (/"values"\s*:\s*\[/.test(text)) return 'misp';
    return undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (ext === '.csv' || (/(^|,)\s*"?IoC"?\s*(,|$)/i.test(firstLine) && firstLine.includes(','))) return 'mstic-csv';
  return 'ioc-list';
}

const IGNORED = /^(\.|license|licence|readme|manifest\.tsv$)|\.(md|tsv|sha256|asc|sig)$/i;

/** Files under `path` to import, in a stable order. */
export async function expandInput(path: string): Promise<{ files: string[]; mispFeed: boolean }> {
  const s = await stat(path);
  if (!s.isDirectory()) return { files: [path], mispFeed: false };
  const names = (await readdir(path)).sort();
  if (names.includes('manifest.json')) {
    return { files: names.filter((n) => n.endsWith('.json') && n !== 'manifest.json').map((n) => join(path, n)), mispFeed: true };
  }
  const files: string[] = [];
  for (const name of names) {
    if (IGNORED.test(name)) continue;
    const p = join(path, name);
    const st = await stat(p);
    if (st.isDirectory()) files.push(...(await expandInput(p)).files);
    else if (st.isFile()) files.push(p);
  }
  return { files, mispFeed: false };
}

/** Copies stdin to a temporary file (formats are detected from the first bytes, and readers make two passes). */
export async function spoolStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-import-'));
  const file = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(file));
  return file;
}

/** The file's bytes, counting them into `progress`. */
export async function* readFileChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    onBytes?.((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}
