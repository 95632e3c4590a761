import type { Command } from 'commander';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('embedded mode: PostgreSQL, migrations, demo data, every department subgraph and the gateway with its console, in one process')
    .option('--fresh', 'wipe the embedded database and start clean')
    .action(async (opts: { fresh?: boolean }) => {
      const { DEV_GRID_CODE, devIdentities, devToken } = require('../../auth/devTokens') as typeof import('../../auth/devTokens');
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { buildDemoCity, DEMO_SIZES } = require('../../demo/city') as typeof import('../../demo/city');
      const { startHub } = require('../runtime') as typeof import('../runtime');
      const config = loadConfig();
      const t0 = Date.now();
      const city = buildDemoCity(DEMO_SIZES.small);
      const hub = await startHub({ config, fresh: opts.fresh, city });
      const stop = async () => {
        process.stdout.write('\nstopping…\n');
        await hub.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      const lines = [
        `\nPingan Hub is up in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        `  Console: ${hub.consoleUrl}   (open it in a browser)`,
        `  GraphQL: ${hub.gatewayUrl}`,
        `  Operations (readiness, metrics): ${hub.gatewayOpsUrl}/readyz  ${hub.gatewayOpsUrl}/metrics`,
      ];
      for (const s of Object.values(hub.subgraphs)) lines.push(`  subgraph ${s.department.padEnd(14)} ${s.url} (internal token required)`);
      if (hub.keys.devCallerSigningKey) {
        lines.push('\nReady-made dev tokens (valid 8 h; `npm run token -- --agency …` makes more; the console picks them for you):');
        for (const who of devIdentities(DEV_GRID_CODE)) {
          const token = await devToken(hub.keys.devCallerSigningKey, hub.keys.callerIssuer, hub.keys.callerAudience, who);
          lines.push(`\n  ${who.agency.padEnd(13)} ${who.description}\n  ${token}`);
        }
        lines.push(
          `\nTry:\n  curl -s ${hub.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n    -d '{"query":"{ persons(first: 3) { edges { node { id name grid { code } } } } }"}'`,
        );
      }
      lines.push(`\nOpen the console: ${hub.consoleUrl}`);
      process.stdout.write(`${lines.join('\n')}\n\nCtrl-C stops everything.\n`);
    });
}
