import autocannon from 'autocannon';

/** One HTTP request of a workload. */
export interface BenchRequest {
  body: string;
  headers: Record<string, string>;
}

/** What a measurement sends: POSTs of JSON to one URL, each request drawn afresh by `next()`. */
export interface Workload {
  url: string;
  next(): BenchRequest;
}

export interface LoadOptions {
  durationSec: number;
  connections: number;
}

/** One timed run against one server. Latencies in milliseconds. */
export interface LoadResult {
  durationSec: number;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Transport errors and timeouts, non-2xx responses, and 2xx responses that carry GraphQL `errors`. */
  errors: { transport: number; timeouts: number; non2xx: number; graphql: number; total: number };
  /** The GraphQL errors' messages (with their code) and how often each came, so a report says what failed. */
  errorMessages?: Record<string, number>;
  bytesPerResponse: number;
  /** CPU each server process used during the run, in % of one core (100 = one core busy); filled in by the runner. */
  cpuPercent: Record<string, number>;
  /** CPU time each server process spent per completed request, ms: steadier than throughput on a busy machine. */
  cpuMsPerRequest: Record<string, number>;
  /** The whole machine's CPU, and that of processes not ours (other work on the machine), % of one core. */
  machine?: { machinePercent: number; othersPercent: number };
}

/** The distinct `code: message` of a GraphQL response's errors (the body as it came; unparsable → one marker). */
export function graphqlErrorMessages(body: string): string[] {
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ message?: string; extensions?: { code?: string } }> }).errors ?? [];
    return [...new Set(errors.map((e) => `${e.extensions?.code ?? 'NO_CODE'}: ${e.message ?? ''}`))];
  } catch {
    return ['(response not JSON)'];
  }
}

/** The value below which `q` (0..1) of the sorted samples fall (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function mergeCounts(counts: Array<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c)) merged[k] = (merged[k] ?? 0) + n;
  return merged;
}

/** A run in which each connection got fewer than two answers measured a stalled server (or machine), not its speed. */
export const starved = (r: LoadResult): boolean => r.requests < 2 * r.connections;

/**
 * The median of each figure over the runs of one scenario (3 by default), leaving out starved
 * runs when others exist; errors are summed over all the runs, so a single failing run shows.
 */
export function medianOf(all: LoadResult[]): LoadResult {
  const runs = all.some((r) => !starved(r)) ? all.filter((r) => !starved(r)) : all;
  const m = (f: (r: LoadResult) => number) => median(runs.map(f));
  const sum = (f: (r: LoadResult) => number) => all.reduce((n, r) => n + f(r), 0);
  return {
    durationSec: m((r) => r.durationSec),
    connections: runs[0].connections,
    requests: m((r) => r.requests),
    rps: m((r) => r.rps),
    p50: m((r) => r.p50),
    p95: m((r) => r.p95),
    p99: m((r) => r.p99),
    max: m((r) => r.max),
    errors: {
      transport: sum((r) => r.errors.transport),
      timeouts: sum((r) => r.errors.timeouts),
      non2xx: sum((r) => r.errors.non2xx),
      graphql: sum((r) => r.errors.graphql),
      total: sum((r) => r.errors.total),
    },
    ...(all.some((r) => r.errorMessages) ? { errorMessages: mergeCounts(all.map((r) => r.errorMessages ?? {})) } : {}),
    bytesPerResponse: m((r) => r.bytesPerResponse),
    cpuPercent: Object.fromEntries(Object.keys(runs[0].cpuPercent).map((k) => [k, m((r) => r.cpuPercent[k] ?? 0)])),
    cpuMsPerRequest: Object.fromEntries(Object.keys(runs[0].cpuMsPerRequest).map((k) => [k, m((r) => r.cpuMsPerRequest[k] ?? 0)])),
    ...(runs.every((r) => r.machine)
      ? { machine: { machinePercent: m((r) => r.machine!.machinePercent), othersPercent: m((r) => r.machine!.othersPercent) } }
      : {}),
  };
}

/**
 * Drives `workload` with autocannon for a fixed time, on `connections` keep-alive connections (a
 * closed loop: each connection sends its next request when the previous answer arrives). p95 is
 * not among autocannon's percentiles, so every response time is kept and percentiles are computed
 * here from all of them.
 */
export async function runLoad(workload: Workload, opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(workload.url);
  const latencies: number[] = [];
  let graphqlErrors = 0;
  const errorMessages: Record<string, number> = {};
  let bytes = 0;
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: opts.connections,
        pipelining: 1,
        duration: opts.durationSec,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: url.pathname + url.search,
            setupRequest: (request) => {
              const next = workload.next();
              return { ...request, body: next.body, headers: { 'content-type': 'application/json', ...next.headers } };
            },
            // GraphQL reports failures in a 200 response; a cheap scan finds them without parsing.
            onResponse: (_status, body) => {
              if (!body.includes('"errors":')) return;
              graphqlErrors++;
              for (const m of graphqlErrorMessages(body)) errorMessages[m] = (errorMessages[m] ?? 0) + 1;
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
  const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const transport = result.errors - result.timeouts;
  return {
    durationSec: Math.min(elapsedSec, opts.durationSec),
    connections: opts.connections,
    requests: latencies.length,
    rps: latencies.length / Math.min(elapsedSec, opts.durationSec),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? 0,
    errors: { transport, timeouts: result.timeouts, non2xx: result.non2xx, graphql: graphqlErrors, total: result.errors + result.non2xx + graphqlErrors },
    ...(graphqlErrors ? { errorMessages } : {}),
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpuPercent: {},
    cpuMsPerRequest: {},
  };
}

/** A small seeded generator, so a run's sequence of picks can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}
