import type { Viewer } from '../auth/viewer';
import type { BucketLimit, SecurityConfig } from '../shared/config';
import { ErrorCode } from '../shared/errors';
import { HttpError } from '../shared/http';
import { SharedRedis } from '../shared/redis';

/** One token bucket to take from: its key and its size. */
export interface Bucket {
  key: string;
  limit: BucketLimit;
}

/** 0 when every bucket gave a token, else how long until the emptiest one has one again. */
export interface Taken {
  waitMs: number;
  /** The bucket that refused (its index in the request). */
  refusedBy: number;
}

/** Where bucket levels live: this process, or Redis for gateways that share them. */
export interface BucketStore {
  /** Takes one token from every bucket, or from none when any is empty. */
  take(buckets: Bucket[]): Promise<Taken>;
  close(): Promise<void>;
}

const perMs = (limit: BucketLimit) => limit.perMinute / 60_000;

/**
 * Buckets in this process's memory: right for one gateway. Full buckets are dropped once the map
 * grows, so one token per subject ever seen does not accumulate.
 */
export class MemoryBuckets implements BucketStore {
  private readonly levels = new Map<string, { tokens: number; at: number; limit: BucketLimit }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  async take(buckets: Bucket[]): Promise<Taken> {
    const now = this.now();
    const refill = (state: { tokens: number; at: number }, limit: BucketLimit) =>
      Math.min(limit.burst, state.tokens + Math.max(0, now - state.at) * perMs(limit));
    const refilled = buckets.map(({ key, limit }) => {
      const state = this.levels.get(key);
      return state ? refill(state, limit) : limit.burst;
    });
    let taken: Taken = { waitMs: 0, refusedBy: -1 };
    refilled.forEach((tokens, i) => {
      if (tokens >= 1) return;
      const waitMs = Math.ceil((1 - tokens) / perMs(buckets[i].limit));
      if (waitMs > taken.waitMs) taken = { waitMs, refusedBy: i };
    });
    if (taken.waitMs > 0) return taken;
    if (this.levels.size >= this.maxEntries) {
      // A bucket refilled to the brim is the same as no entry.
      for (const [key, state] of this.levels) if (refill(state, state.limit) >= state.limit.burst) this.levels.delete(key);
    }
    buckets.forEach(({ key, limit }, i) => this.levels.set(key, { tokens: refilled[i] - 1, at: now, limit }));
    return taken;
  }

  async close(): Promise<void> {}
}

/**
 * The same buckets in Redis, so every gateway behind a load balancer draws from one bucket per
 * subject and agency. One Lua script checks and takes atomically, on Redis's clock (gateways'
 * clocks may differ). While Redis cannot be reached the gateway falls back to its own memory
 * buckets — limits then hold per gateway — rather than refusing every request or none.
 */
export class RedisBuckets implements BucketStore {
  private static readonly SCRIPT = `
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local levels = {}
    local wait, refused = 0, -1
    for i, key in ipairs(KEYS) do
      local rate, burst = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
      local state = redis.call('HMGET', key, 'tokens', 'at')
      local tokens = tonumber(state[1]) or burst
      local at = tonumber(state[2]) or now
      tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
      levels[i] = tokens
      if tokens < 1 then
        local w = math.ceil((1 - tokens) / rate)
        if w > wait then wait, refused = w, i - 1 end
      end
    end
    if wait == 0 then
      for i, key in ipairs(KEYS) do
        local rate, burst = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
        redis.call('HSET', key, 'tokens', tostring(levels[i] - 1), 'at', now)
        redis.call('PEXPIRE', key, math.ceil(burst / rate) + 1000)
      end
    end
    return {wait, refused}`;

  private readonly redis: SharedRedis;
  private readonly fallback = new MemoryBuckets();

  constructor(
    url: string,
    private readonly prefix = 'pingan-hub:rate:',
  ) {
    this.redis = new SharedRedis(url, 'rate limit: Redis unreachable; limiting per gateway in memory until it is back');
  }

  /** Connects; a Redis that is down now only means the fallback until it is back. */
  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async take(buckets: Bucket[]): Promise<Taken> {
    if (!this.redis.ready) return this.fallback.take(buckets);
    try {
      const [waitMs, refusedBy] = (await this.redis.client.eval(
        RedisBuckets.SCRIPT,
        buckets.length,
        ...buckets.map((b) => this.prefix + b.key),
        ...buckets.flatMap((b) => [String(perMs(b.limit)), String(b.limit.burst)]),
      )) as [number, number];
      return { waitMs, refusedBy };
    } catch (err) {
      this.redis.warn(err);
      return this.fallback.take(buckets);
    }
  }

  async close(): Promise<void> {
    this.redis.close();
  }
}

/**
 * Rate limits per subject (one officer's token) and per agency, as token buckets. A request takes
 * one token from both or is refused with 429, RATE_LIMITED and Retry-After — before its body is read.
 */
export class RateLimiter {
  constructor(
    private readonly limits: SecurityConfig['rateLimit'],
    private readonly store: BucketStore,
  ) {}

  static async create(security: SecurityConfig): Promise<RateLimiter> {
    if (!security.redisUrl) return new RateLimiter(security.rateLimit, new MemoryBuckets());
    const store = new RedisBuckets(security.redisUrl);
    await store.connect();
    return new RateLimiter(security.rateLimit, store);
  }

  async admit(viewer: Viewer): Promise<void> {
    const buckets: Array<Bucket & { scope: 'subject' | 'agency' }> = [];
    if (this.limits.subject.perMinute > 0) buckets.push({ scope: 'subject', key: `subject:${viewer.sub}`, limit: this.limits.subject });
    if (this.limits.agency.perMinute > 0) buckets.push({ scope: 'agency', key: `agency:${viewer.agency}`, limit: this.limits.agency });
    if (!buckets.length) return;
    const { waitMs, refusedBy } = await this.store.take(buckets);
    if (waitMs <= 0) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    const scope = buckets[refusedBy]?.scope ?? 'subject';
    throw new HttpError(
      429,
      `too many requests for your ${scope === 'subject' ? 'account' : 'agency'}; retry after ${retryAfter} s`,
      ErrorCode.RateLimited,
      { 'retry-after': String(retryAfter) },
      { retryAfter, scope },
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
