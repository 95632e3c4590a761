import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../src/shared/paths';

/**
 * The test process's environment without the databases it was started with (`DATABASE_URL=… npm
 * test`): a CLI run reaches the database its test names (`--database-url`, `env`), never the
 * suite's server by inheritance.
 */
function inherited(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DATABASE_URL')));
}

/** Runs the compiled `hub` CLI (npm test builds it first) and returns its exit code and output. */
export function hub(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'hub.js'), ...args], {
    env: { ...inherited(), NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
