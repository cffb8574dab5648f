/** The explorer's production bundle (dist/ui, built by `npm run build`) stays under 300 KB gzipped (issue 15). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';

const DIR = join(process.cwd(), 'dist', 'ui');
const LIMIT = 300 * 1024;

it('the files a page loads weigh less than 300 KB gzipped, (index.html, one script, one stylesheet)', () => {
  const files = ['index.html', ...readdirSync(join(DIR, 'assets')).map((f) => join('assets', f))];
  const sizes = files.map((f) => [f, gzipSync(readFileSync(join(DIR, f)), { level: 9 }).length] as const);
  const total = sizes.reduce((n, [, s]) => n + s, 0);
  console.log(`explorer bundle, gzipped: ${sizes.map(([f, s]) => `${f} ${(s / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB`);
  assert.ok(total < LIMIT, `${total} bytes gzipped`);
  assert.deepEqual(files.map((f) => f.replace(/-[\w-]+\./, '.')).sort(), ['assets/index.css', 'assets/index.js', 'index.html']);
});
