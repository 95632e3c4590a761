import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../src/shared/paths';

/** Runs the compiled `hub` CLI (npm test builds it first) and returns its exit code and output. */
export function hub(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'hub.js'), ...args], {
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
