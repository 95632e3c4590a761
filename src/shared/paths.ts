import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs from `src/` (ts-jest) or `dist/src/` (tsc). */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

/** True when this code runs as TypeScript source (under ts-jest) rather than compiled JavaScript. */
export const runningTypeScript = __filename.endsWith('.ts');
