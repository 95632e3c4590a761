import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../src/shared/paths';

export interface RepoCopy {
  root: string;
  /** Runs a command in the copy with the project's Node first on PATH (as npm scripts have it). */
  run(command: string, args: string[], env?: Record<string, string>, timeoutMs?: number): { status: number; stdout: string; stderr: string };
  remove(): void;
}

/**
 * A throwaway copy of the repository: the files git tracks, this checkout's working-tree changes
 * to them, the compiled dist/ (so builds there are incremental), and node_modules by symlink.
 * Timestamps are kept, so a bundle that is up to date here is up to date there.
 */
export function copyRepo(): RepoCopy {
  const root = mkdtempSync(join(tmpdir(), 'pingan-hub-copy-'));
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(root, file), { preserveTimestamps: true });
  }
  cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  const bin = join(repoRoot, 'node_modules', '.bin');
  return {
    root,
    run(command, args, env = {}, timeoutMs = 240_000) {
      const res = spawnSync(command, args, {
        cwd: root,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LOG_LEVEL: 'warn', ...env },
        encoding: 'utf8',
        timeout: timeoutMs,
      });
      return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
