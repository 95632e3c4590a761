/**
 * `npm run build`: compiles the server (tsc) and bundles the console (console/build.mts), each only
 * when something it is made from changed since its last build. Every `npm start`, `npm run token`,
 * `npm run hub …` and `npm test` builds first, and a current build now costs a few directory reads
 * instead of a tsc run (2.4 s idle, far more on a loaded machine). `--force` rebuilds both.
 * Run by the pinned Node (it strips the types of this file itself).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

/**
 * The newest modification time under `paths`, directories included: adding, removing or renaming
 * a file changes its directory's time, so a deleted source also triggers a build.
 */
function newest(paths: string[]): number {
  let max = 0;
  const visit = (path: string): void => {
    const stat = statSync(path);
    max = Math.max(max, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const p of paths) if (existsSync(p)) visit(p);
  return max;
}

/**
 * Runs `command` unless `stamp` is newer than every input. The stamp takes the time the build
 * started, so a file saved while it ran is built again next time.
 */
function step(name: string, stamp: string, inputs: string[], command: string[]): void {
  if (!force && existsSync(stamp) && newest(inputs.map((i) => join(root, i))) < statSync(stamp).mtimeMs) return;
  const started = new Date();
  const res = spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write(`build: ${name} failed\n`);
    process.exit(res.status ?? 1);
  }
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}

const lock = 'package-lock.json';
step(
  'tsc',
  join(root, 'dist', '.build-server'),
  ['src', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', lock],
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
);
step('console', join(root, 'dist', '.build-console'), ['console', lock], [join(root, 'console', 'build.mts')]);
