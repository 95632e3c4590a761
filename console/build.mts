/**
 * Bundles the console (GraphiQL, React, Monaco and its workers) from node_modules into
 * dist/console/, so the gateway serves it with no CDN. esbuild is fine here: this is browser
 * code, without the decorator metadata the server needs tsc for. Run by `npm run build`
 * (tools/build.mts), which skips it when nothing under console/ changed.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'console');
const t0 = Date.now();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
} as const;
await Promise.all([
  build({
    ...common,
    entryPoints: { main: join(here, 'main.tsx') },
    outdir: out,
    format: 'esm',
    jsx: 'automatic',
    // Leaflet's stylesheet names its control and marker images (.png), emitted beside it.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl', '.png': 'file' },
    assetNames: '[name]',
  }),
  // Monaco's language services, each a classic web worker loaded by monacoWorkers.ts.
  build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    outdir: out,
    format: 'iife',
  }),
]);
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
process.stdout.write(`console bundled into ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
