import { Redis } from 'ioredis';
import { logger } from './logger';

/**
 * A Redis connection for state the gateways or the replicas of a subgraph share (rate-limit
 * buckets, used internal tokens). It never queues commands while Redis is away: callers check
 * `ready` and fall back to their own memory, and the outage is logged at most once a minute with
 * `fallbackNote` (what holds meanwhile).
 */
export class SharedRedis {
  readonly client: Redis;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly fallbackNote: string,
  ) {
    this.client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
    this.client.on('error', (err: Error) => this.warn(err));
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Connects; a Redis that is down now only means the fallback until it is back. */
  async connect(): Promise<void> {
    await this.client.connect().catch((err: unknown) => this.warn(err));
  }

  warn(err: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, this.fallbackNote);
  }

  close(): void {
    this.client.disconnect();
  }
}
