import { Pool } from 'undici';

/**
 * One keep-alive connection pool per subgraph origin (undici), for the calls the gateway makes over
 * HTTP (distributed mode, or `SUBGRAPH_TRANSPORT=http`). Sized to the department's bulkhead: no
 * more calls than that are ever in flight to it, so every one finds a connection. undici's
 * `request` also skips what global fetch costs per call (a WHATWG Request, Response and stream, an
 * AbortSignal for the timeout): the profile of the public benchmark put fetch's internals at the top.
 */
export class SubgraphPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly connectionsPerSubgraph: number) {}

  for(url: URL): Pool {
    let pool = this.pools.get(url.origin);
    if (!pool) this.pools.set(url.origin, (pool = new Pool(url.origin, { connections: this.connectionsPerSubgraph, keepAliveTimeout: 30_000 })));
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
