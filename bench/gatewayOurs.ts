import 'reflect-metadata';
import { loadAuthKeys } from '../src/auth/keys';
import { gatewayOptions } from '../src/cli/runtime';
import { startGateway } from '../src/gateway/server';
import { loadConfig } from '../src/shared/config';
import { failToParent, serveParent } from './children';
import { publicSupergraph } from './publicBenchmark';

/**
 * Side A of the gateway A/B on the public benchmark: the hub's gateway (`startGateway`) exactly as
 * the hub runs it — caller JWT check, an internal token on every subgraph call, its plugins — with
 * the dev keys; the benchmark's subgraphs ignore the internal token. There is no policy on that
 * graph (the policy lives in our subgraphs). Subgraph URLs come as JSON in `BENCH_SUBGRAPH_URLS`.
 */
async function main(): Promise<void> {
  const subgraphUrls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const config = loadConfig();
  const gateway = await startGateway({
    ...gatewayOptions(config, await loadAuthKeys(config)),
    host: '127.0.0.1',
    port: 0,
    opsPort: 0,
    supergraphSdl: publicSupergraph(subgraphUrls),
    subgraphUrls,
    // The benchmark's subgraphs have no operations port: they are not probed (the stock gateway probes nothing either).
    subgraphOpsUrls: {},
  });
  serveParent({ gateway: gateway.url }, { stop: () => gateway.stop() });
}

main().catch(failToParent);
