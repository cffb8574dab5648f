// Builds the intel explorer (issue 15) into dist/ui, served by `tigraph serve` at / and /ui/… (src/http/explorer).
// Run by `npm run build` (and so by `npm install` through `prepare`). No inline script or style, no data: URLs:
// the pages run under a strict Content-Security-Policy.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  publicDir: here('public'),
  logLevel: 'warn',
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
