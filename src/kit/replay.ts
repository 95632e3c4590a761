import { SharedRedis } from '../shared/redis';
import { logger } from '../shared/logger';

/**
 * Remembers the `jti` of every internal token a subgraph accepted until the token expires, so a
 * token captured in transit cannot be used a second time.
 */
export interface ReplayGuard {
  /** True the first time `jti` is seen before `expiresAtMs`; false on reuse. */
  firstUse(jti: string, expiresAtMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * In this process's memory: enough for one replica of a subgraph. Entries go in roughly in expiry
 * order (tokens live seconds), so expired ones are dropped from the front. When the map is full of
 * live entries the token is refused: forgetting one would let it be replayed.
 */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  async firstUse(jti: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    for (const [id, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(id);
    }
    const known = this.seen.get(jti);
    if (known !== undefined && known > now) return false;
    if (this.seen.size >= this.maxEntries) {
      logger.warn({ entries: this.seen.size }, 'internal token replay guard is full; refusing tokens until entries expire');
      return false;
    }
    this.seen.set(jti, expiresAtMs);
    return true;
  }

  async close(): Promise<void> {}
}

/**
 * In Redis (`REDIS_URL`), shared by the replicas of one subgraph: `SET NX` with the token's
 * remaining lifetime. While Redis cannot be reached, each replica falls back to its own memory
 * (a token could then be replayed once against another replica within its seconds of life).
 */
export class RedisReplayGuard implements ReplayGuard {
  private readonly redis: SharedRedis;
  private readonly fallback = new MemoryReplayGuard();

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new SharedRedis(url, 'internal token replay guard: Redis unreachable; remembering tokens per replica until it is back');
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async firstUse(jti: string, expiresAtMs: number): Promise<boolean> {
    if (!this.redis.ready) return this.fallback.firstUse(jti, expiresAtMs);
    try {
      return (await this.redis.client.set(this.prefix + jti, '1', 'PX', Math.max(1, expiresAtMs - Date.now()), 'NX')) === 'OK';
    } catch (err) {
      this.redis.warn(err);
      return this.fallback.firstUse(jti, expiresAtMs);
    }
  }

  async close(): Promise<void> {
    this.redis.close();
  }
}

export async function replayGuard(department: string, redisUrl: string | undefined): Promise<ReplayGuard> {
  if (!redisUrl) return new MemoryReplayGuard();
  const guard = new RedisReplayGuard(redisUrl, `pingan-hub:jti:${department}:`);
  await guard.connect();
  return guard;
}
