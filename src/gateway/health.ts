import { logger } from '../shared/logger';
import type { CircuitName } from './breaker';
import { sendJson } from '../shared/http';
import { subgraphUp } from './metrics';
import type { OpsRoute } from '../shared/opsServer';

/** `up`: ready; `not ready`: answers but its /readyz is red (e.g. its database is down); `down`: no answer. */
export type SubgraphState = 'unknown' | 'up' | 'not ready' | 'down';

interface Watched {
  /** Null: no operations URL is known for it, so only the data path tells its state. */
  readyUrl: string | null;
  state: SubgraphState;
  since: string;
  detail?: string;
  probing?: Promise<void>;
}

const PROBE_TIMEOUT_MS = 3_000;

/** A subgraph's `/readyz` on its operations port (`opsUrl`: `http://host:port`, as `SUBGRAPH_OPS_URL_<NAME>`). */
export function readyUrlOf(opsUrl: string): string {
  const u = new URL(opsUrl);
  u.pathname = u.pathname.replace(/\/$/, '') + '/readyz';
  u.search = '';
  return u.toString();
}

/** Told the outcome of every probe: whether the subgraph answered at all (ready or not). */
export type ProbeListener = (name: string, answered: boolean) => void;

/**
 * What the gateway knows of each subgraph: probed every `intervalMs` on its `/readyz`, and told
 * at once by the data path when a call cannot reach it. The state feeds `/readyz`,
 * `hub_subgraph_up` and one log line per change; each probe's outcome also feeds the subgraph's
 * circuit breaker (`onProbe`).
 */
export class SubgraphMonitor {
  private readonly subgraphs = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onProbe: ProbeListener = () => undefined,
  ) {}

  /** Registers (or re-points, after a supergraph reload) one subgraph, probed on its operations port. */
  watch(name: string, opsUrl: string | undefined): void {
    const readyUrl = opsUrl ? readyUrlOf(opsUrl) : null;
    const known = this.subgraphs.get(name);
    if (known && known.readyUrl === readyUrl) return;
    if (!readyUrl) logger.warn({ subgraph: name }, `no operations URL for subgraph ${name} (SUBGRAPH_OPS_URL_${name.toUpperCase()}): it is not probed`);
    this.subgraphs.set(name, { readyUrl, state: 'unknown', since: new Date().toISOString(), ...(readyUrl ? {} : { detail: 'not probed: no operations URL' }) });
    if (this.timer) void this.probe(name);
  }

  start(): void {
    void this.probeAll();
    if (this.intervalMs > 0) this.timer = setInterval(() => void this.probeAll(), this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The data path could not reach the subgraph. */
  unreachable(name: string, detail: string): void {
    this.set(name, 'down', detail);
  }

  /** The data path got an answer: if the subgraph was marked down, check it now rather than at the next probe (or, unprobed, believe the answer). */
  answered(name: string): void {
    const s = this.subgraphs.get(name);
    if (!s || s.state === 'up') return;
    if (s.readyUrl) void this.probe(name);
    else this.set(name, 'up');
  }

  snapshot(): Record<string, { state: SubgraphState; since: string; detail?: string }> {
    return Object.fromEntries([...this.subgraphs].map(([name, { state, since, detail }]) => [name, { state, since, ...(detail ? { detail } : {}) }]));
  }

  async probeAll(): Promise<void> {
    await Promise.all([...this.subgraphs.keys()].map((name) => this.probe(name)));
  }

  private probe(name: string): Promise<void> {
    const s = this.subgraphs.get(name);
    const readyUrl = s?.readyUrl;
    if (!s || !readyUrl) return Promise.resolve();
    s.probing ??= (async () => {
      try {
        const res = await fetch(readyUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        this.onProbe(name, true);
        if (res.ok) {
          await res.body?.cancel();
          this.set(name, 'up');
          return;
        }
        const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, string> };
        const failing = Object.entries(body.checks ?? {})
          .filter(([, v]) => v !== 'ok')
          .map(([k, v]) => `${k}: ${v}`);
        this.set(name, 'not ready', failing.join('; ') || `readyz answered ${res.status}`);
      } catch (err) {
        this.onProbe(name, false);
        this.set(name, 'down', describeFetchError(err));
      } finally {
        s.probing = undefined;
      }
    })();
    return s.probing;
  }

  private set(name: string, state: SubgraphState, detail?: string): void {
    const s = this.subgraphs.get(name);
    if (!s) return;
    subgraphUp.set({ subgraph: name }, state === 'up' ? 1 : 0);
    if (s.state === state) return;
    const was = s.state;
    Object.assign(s, { state, since: new Date().toISOString(), detail });
    if (state === 'up') logger.info({ subgraph: name, was }, 'subgraph up');
    else logger.warn({ subgraph: name, state, detail }, `subgraph ${state}: its fields come back null with DEPARTMENT_UNAVAILABLE`);
  }
}

/** A fetch failure in words: timeout, or the network cause (ECONNREFUSED…), without the stack. */
export function describeFetchError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer in time';
  // undici's own errors (the gateway's pools): the timeouts by their code, a refused connection by the system's.
  if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT' || e?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'no answer in time';
  return `unreachable: ${e?.cause?.code ?? e?.cause?.message ?? (e?.code?.startsWith('E') ? e.code : undefined) ?? e?.message ?? String(err)}`;
}

/**
 * `/readyz` of the gateway (on its operations port): ready when a supergraph is loaded (a stale one too: it is what the
 * gateway served before) and at least one subgraph is up.
 * Not "every subgraph up": all gateway replicas see the same subgraphs, so pulling them out of
 * the load balancer because one department is down would turn a partial outage into a total one.
 * The body says which subgraphs are up and the state of each one's circuit breaker.
 */
export function readinessRoute(
  monitor: SubgraphMonitor,
  supergraphId: () => string | null,
  supergraphStale: () => boolean,
  circuitOf: (name: string) => CircuitName | undefined,
): OpsRoute {
  return async (_req, res) => {
    const subgraphs = Object.fromEntries(Object.entries(monitor.snapshot()).map(([name, s]) => [name, { ...s, circuit: circuitOf(name) ?? 'closed' }]));
    const id = supergraphId();
    const someUp = Object.values(subgraphs).some((s) => s.state === 'up');
    const ready = id !== null && someUp;
    const stale = supergraphStale();
    const down = Object.entries(subgraphs)
      .filter(([, s]) => s.state !== 'up')
      .map(([n]) => n);
    sendJson(res, ready ? 200 : 503, {
      status: !ready ? 'not ready' : down.length || stale ? 'degraded' : 'ready',
      // "stale": the configured file could not be served at start; the last good copy is (its id in supergraphId).
      supergraph: stale ? 'stale' : id,
      supergraphId: id,
      subgraphs,
    });
  };
}
