import 'reflect-metadata';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { loadAuthKeys } from '../src/auth/keys';
import { startGateway } from '../src/gateway/server';
import { loadConfig } from '../src/shared/config';
import { failToParent, serveParent } from './children';
import { publicSupergraph } from './publicBenchmark';

/**
 * One gateway of the A/B on the public benchmark's supergraph, in its own process:
 * - `ours`: the hub's gateway (`startGateway`) exactly as the hub runs it — caller JWT check,
 *   internal token to every subgraph, its plugins — with dev keys; the benchmark's subgraphs
 *   ignore the internal token;
 * - `stock`: plain @apollo/gateway on @apollo/server with `startStandaloneServer`, defaults.
 * Subgraph URLs come as JSON in `BENCH_SUBGRAPH_URLS`.
 */
async function main(): Promise<void> {
  const which = process.argv[2];
  const subgraphUrls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const supergraphSdl = publicSupergraph(subgraphUrls);
  if (which === 'ours') {
    const config = loadConfig();
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      supergraphSdl,
      subgraphUrls,
      keys: await loadAuthKeys(config),
      subgraphTimeoutMs: config.subgraphTimeoutMs,
    });
    serveParent({ gateway: gateway.url }, { stop: () => gateway.stop() });
  } else if (which === 'stock') {
    const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
    serveParent({ gateway: url }, { stop: () => server.stop() });
  } else {
    throw new Error(`usage: publicGateway.js ours|stock (got ${which})`);
  }
}

main().catch(failToParent);
