import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { failToParent, serveParent } from './children';
import { publicSupergraph } from './publicBenchmark';

/**
 * Side B of the gateway A/B on the public benchmark: plain @apollo/gateway on @apollo/server with
 * `startStandaloneServer` and default options — nothing of ours loaded, so its memory is its own.
 * Subgraph URLs come as JSON in `BENCH_SUBGRAPH_URLS`.
 */
async function main(): Promise<void> {
  const subgraphUrls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: publicSupergraph(subgraphUrls) }) });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  serveParent({ gateway: url }, { stop: () => server.stop() });
}

main().catch(failToParent);
