import 'reflect-metadata';
import { startHub } from '../src/cli/runtime';
import { loadConfig } from '../src/shared/config';
import { failToParent, serveParent } from './children';

/**
 * The hub under test, in embedded mode in one process (five subgraphs and the gateway on loopback
 * ports), on a database the runner prepared: `BENCH_DATABASE_URL`. The rest of the configuration
 * comes from the environment as for `npm start` — `POLICY_ENFORCEMENT=off` for the policy-cost
 * comparison, and whatever the audit writer reads (`AUDIT`) once it exists.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');
  const hub = await startHub({ config: loadConfig(), databaseUrl, randomPorts: true });
  const urls: Record<string, string> = { gateway: hub.gatewayUrl };
  for (const [name, s] of Object.entries(hub.subgraphs)) urls[name] = s.url;
  serveParent(urls, {
    sqlStatements: () => Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.stats.sqlStatements])),
    stop: () => hub.stop(),
  });
}

main().catch(failToParent);
