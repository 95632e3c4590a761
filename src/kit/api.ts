import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap, type IPolicy } from 'cockatiel';
import type DataLoader from 'dataloader';
import { departmentUnavailable } from '../shared/errors';
import { logger } from '../shared/logger';
import type { SubgraphContext } from './context';

/*
 * A department whose records stay behind its own REST/JSON API (scaffolded by
 * `hub new-department <name> --from-openapi`): the hub calls it with GETs only, each with a
 * timeout, retried with exponential backoff (GETs are idempotent), behind a circuit breaker
 * (cockatiel: a well-kept library for exactly these three, instead of hand-written ones), over
 * Node's built-in fetch (undici, pooled keep-alive connections). Whatever goes wrong answers
 * DEPARTMENT_UNAVAILABLE naming the department and the kind of failure, never its URL.
 */

/** A failed call, with what a caller may be told (no URL) and whether trying again may help. */
export class UpstreamError extends Error {
  constructor(
    readonly reason: string,
    readonly retriable: boolean,
  ) {
    super(reason);
  }
}

export interface ApiOptions {
  /** Per attempt. */
  timeoutMs?: number;
  attempts?: number;
  /** Consecutive failed calls that open the breaker, and how long it stays open before a trial call. */
  breakAfter?: number;
  halfOpenAfterMs?: number;
}

export class DepartmentApi {
  /** Where the API is: the spec's server by default, `API_URL_<NAME>` where the hub runs (set at start). */
  baseUrl: string;
  /** HTTP requests sent upstream (tests and measurements read the difference). */
  calls = 0;
  private readonly timeoutMs: number;
  private readonly policy: IPolicy;

  constructor(
    readonly department: string,
    defaultUrl: string,
    opts: ApiOptions = {},
  ) {
    this.baseUrl = defaultUrl;
    this.timeoutMs = opts.timeoutMs ?? 2_000;
    const retries = retry(
      handleWhen((e) => e instanceof UpstreamError && e.retriable),
      {
        maxAttempts: (opts.attempts ?? 3) - 1,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
      },
    );
    const breaker = circuitBreaker(
      handleWhen((e) => e instanceof UpstreamError),
      {
        halfOpenAfter: opts.halfOpenAfterMs ?? 2_000,
        breaker: new ConsecutiveBreaker(opts.breakAfter ?? 5),
      },
    );
    breaker.onStateChange((state) => logger.warn({ department, state }, 'department API circuit breaker'));
    // Each attempt goes through the breaker: an open breaker fails at once, and is not retried.
    this.policy = wrap(retries, breaker);
  }

  /**
   * GETs JSON from `path` (relative to the base URL); null on 404. Throws DEPARTMENT_UNAVAILABLE
   * when the API cannot answer: unreachable, timed out, 5xx, refused, not JSON, or breaker open.
   */
  async get(path: string, query: Record<string, string> = {}): Promise<unknown> {
    const url = new URL(`${this.baseUrl.replace(/\/$/, '')}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    try {
      return await this.policy.execute(() => this.attempt(url));
    } catch (e) {
      const reason = e instanceof UpstreamError ? e.reason : e instanceof BrokenCircuitError ? 'not answering (circuit open)' : 'failed';
      throw departmentUnavailable(this.department, reason);
    }
  }

  private async attempt(url: URL): Promise<unknown> {
    this.calls++;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new UpstreamError((e as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : 'unreachable', true);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamError(`answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
    }
    try {
      return await res.json();
    } catch {
      throw new UpstreamError('answered something that is not JSON', false);
    }
  }
}

/** The API's answer as records carrying a string key, or DEPARTMENT_UNAVAILABLE ("answered garbage"). */
export function asRecords<T>(api: DepartmentApi, body: unknown, key: string): T[] {
  const rows = Array.isArray(body) ? body : [body];
  if (!rows.every((r) => typeof r === 'object' && r !== null && typeof (r as Record<string, unknown>)[key] === 'string')) {
    throw departmentUnavailable(api.department, 'answered records of an unexpected shape');
  }
  return rows as T[];
}

/**
 * The records of a list inside the viewer's row scope (the policy's `rowScope`): an API cannot be
 * asked in SQL, so what it answers outside the jurisdiction is dropped before anyone sees it.
 */
export function inRowScope<T>(ctx: SubgraphContext, typeName: string, rows: T[]): T[] {
  const scope = ctx.policy.rowScope(typeName, ctx.viewer);
  if (!scope) return rows;
  return rows.filter((r) => {
    const code = (r as Record<string, unknown>)[scope.property];
    return typeof code === 'string' && scope.prefixes.some((p) => code.startsWith(p));
  });
}

export interface ByKeyOptions {
  /** The record's key property. */
  key: string;
  /** A collection GET that takes many keys at once (`?ids=a,b`), and at most how many. */
  batch?: { path: string; param: string; max: number };
  /** Else the item GET, `{key}` standing for the key. */
  item: string;
}

/**
 * Records by key for one request: one batched call per `max` keys when the API takes a list of
 * keys, else one call per distinct key (DataLoader de-duplicates, the calls run in parallel).
 */
export function recordsByKey<T>(ctx: SubgraphContext, api: DepartmentApi, name: string, opts: ByKeyOptions): DataLoader<string, T | null> {
  return ctx.loaders.custom<string, T | null>(`api:${api.department}.${name}`, async (keys) => {
    const found = new Map<string, T>();
    if (opts.batch) {
      const { path, param, max } = opts.batch;
      for (let i = 0; i < keys.length; i += max) {
        const body = await api.get(path, { [param]: keys.slice(i, i + max).join(',') });
        for (const r of asRecords<T>(api, body, opts.key)) found.set((r as Record<string, string>)[opts.key], r);
      }
    } else {
      const bodies = await Promise.all(keys.map((k) => api.get(opts.item.replace('{key}', encodeURIComponent(k)))));
      for (const body of bodies) if (body !== null) for (const r of asRecords<T>(api, body, opts.key)) found.set((r as Record<string, string>)[opts.key], r);
    }
    return keys.map((k) => found.get(k) ?? null);
  });
}
