import { cityWideChange } from '../src/auth/devTokens';
/**
 * The distributed deployment as separate OS processes: six subgraphs and the gateway, each
 * `node dist/src/cli/hub.js serve <role>` on its own loopback port with its own database, in
 * production mode with keys from PEMs in the environment. Cross-department queries, metrics and
 * request ids, then the failures: a subgraph killed and restarted, a subgraph that hangs, a
 * department's database refusing connections and coming back, a supergraph reload (good and bad),
 * and SIGTERM during a slow request.
 */
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import type { DemoCriminalChain } from '../src/shared/demo/types';
import { personKey } from '../src/shared/personKey';
import { readFileSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { withDatabase } from '../src/shared/db';
import { startTopology, waitFor, type Topology } from './support/processes';

let t: Topology;
let police: string;
const PURPOSE = { 'x-purpose': 'distributed test: case review' };

/** A suspect whose case went from the police through the procuratorate to a court. */
let chain: DemoCriminalChain;
let personId: string;

const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) {
    id name
    policeRecords { role policeCase { caseNo } }
    prosecutions { caseNo }
    courtCases { caseNo }
  }
}`;
interface PersonView {
  person: {
    id: string;
    name: string | null;
    policeRecords: Array<{ role: string; policeCase: { caseNo: string } }> | null;
    prosecutions: Array<{ caseNo: string }> | null;
    courtCases: Array<{ caseNo: string }> | null;
  } | null;
}

const CASE_JOURNEY = `query CaseJourney($caseNo: String!) {
  policeCase(caseNo: $caseNo) { caseNo prosecution { caseNo courtCase { caseNo } } }
}`;

const codes = (errors: Array<{ extensions?: Record<string, unknown> }> | undefined) => (errors ?? []).map((e) => e.extensions?.code);

async function personView() {
  return t.query<PersonView>(police, PERSON_VIEW, { id: personId }, PURPOSE);
}

/** The person view with every department answering, as the demo city plans it. */
function expectFullPersonView(res: Awaited<ReturnType<typeof personView>>): void {
  expect(res.body.errors).toBeUndefined();
  const p = res.body.data!.person!;
  expect(p.id).toBe(personId);
  expect(p.name).toEqual(expect.any(String));
  expect(p.policeRecords).toContainEqual({ role: 'SUSPECT', policeCase: { caseNo: chain.policeCaseNo } });
  expect(p.prosecutions).toContainEqual({ caseNo: chain.prosecution!.prosecutionCaseNo });
  expect(p.courtCases).toContainEqual({ caseNo: chain.trial!.courtCaseNo });
}

async function readyz(base: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function metrics(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}

beforeAll(async () => {
  t = await startTopology({
    roleEnv: {
      // Short enough that the hanging-subgraph test is quick; long enough for a cold query plan.
      gateway: { SUBGRAPH_TIMEOUT_MS: '5000', SUBGRAPH_HEALTH_INTERVAL_MS: '250', SUPERGRAPH_WATCH_MS: '0' },
      // Info logs from one subgraph, to follow a request id from the gateway into it; a query timeout shorter than the gateway's.
      police: { LOG_LEVEL: 'info', DB_QUERY_TIMEOUT_MS: '3500' },
    },
  });
  police = await t.token('police', cityWideChange('police'));
  chain = t.city.criminalChains.find((c) => c.trial && c.prosecution)!;
  personId = personKey(chain.suspectIdNumbers[0], t.personKeySecret);
}, 90_000);

afterAll(async () => {
  await t?.stop();
});

describe('separate processes answer cross-department queries', () => {
  test('each process has its own database: the person key secret is the deployment’s, not the dev one', () => {
    expect(personId).not.toBe(personKey(chain.suspectIdNumbers[0], DEV_PERSON_KEY_SECRET));
    expect(new Set(Object.values(t.databases)).size).toBe(6);
  });

  test('a person across grid, police, procuratorate and court', async () => {
    expectFullPersonView(await personView());
  });

  test('a criminal case from the police through the procuratorate to the court', async () => {
    const res = await t.query(police, CASE_JOURNEY, { caseNo: chain.policeCaseNo }, PURPOSE);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      policeCase: { caseNo: chain.policeCaseNo, prosecution: { caseNo: chain.prosecution!.prosecutionCaseNo, courtCase: { caseNo: chain.trial!.courtCaseNo } } },
    });
  });

  test('the gateway request id reaches the subgraphs: in the audit trail and in the subgraph logs', async () => {
    const res = await personView();
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await t.sql<{ subgraph: string }>('audit', 'select distinct subgraph from audit.access_log where request_id = $1 order by 1', [requestId]);
    expect(rows.map((r) => r.subgraph)).toEqual(expect.arrayContaining(['grid', 'police']));
    const logged = await waitFor('the police log line of the request', 5_000, async () =>
      t.processes.police!.output.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === requestId && l.msg === 'subgraph request'));
    expect(logged).toMatchObject({ department: 'police', operation: 'PersonView', status: 200 });
  });

  test('/metrics on every process exposes the listed series', async () => {
    // A denied field, so there is an error code to count.
    await t.query(police, `query Denied($id: ID!) { person(id: $id) { mediations { id } } }`, { id: personId });
    const gateway = await metrics(t.processes.gateway!.base);
    expect(gateway).toMatch(/^hub_http_requests_total\{service="gateway",route="\/graphql",status="200"\} \d+/m);
    expect(gateway).toMatch(/^hub_graphql_requests_total\{service="gateway",operation="PersonView"\} \d+/m);
    expect(gateway).toMatch(/^hub_graphql_errors_total\{service="gateway",code="FORBIDDEN_FIELD"\} \d+/m);
    expect(gateway).toMatch(/^hub_graphql_request_duration_seconds_bucket\{le="[\d.]+",service="gateway",operation="PersonView"\} \d+/m);
    for (const subgraph of ['grid', 'police', 'procuratorate', 'court']) {
      expect(gateway).toMatch(new RegExp(`^hub_subgraph_request_duration_seconds_count\\{subgraph="${subgraph}",outcome="ok"\\} \\d+`, 'm'));
    }
    expect(gateway).toMatch(/^hub_subgraph_up\{subgraph="police"\} 1/m);
    expect(gateway).toMatch(/^process_resident_memory_bytes \d+/m);

    const policeMetrics = await metrics(t.processes.police!.base);
    expect(policeMetrics).toMatch(/^hub_graphql_requests_total\{service="police",operation="PersonView"\} \d+/m);
    expect(policeMetrics).toMatch(/^hub_dataloader_batch_size_bucket\{le="1",department="police"\} [1-9]\d*/m);
    expect(policeMetrics).toMatch(/^hub_dataloader_batches_per_request_count\{department="police"\} [1-9]\d*/m);
    expect(policeMetrics).toMatch(/^hub_policy_decisions_total\{department="police",outcome="allow"\} [1-9]\d*/m);
    expect(policeMetrics).toMatch(/^hub_audit_write_duration_seconds_count\{department="police",outcome="ok"\} [1-9]\d*/m);
    expect(policeMetrics).toMatch(/^hub_database_up\{department="police"\} 1/m);
    const justice = await metrics(t.processes.justice!.base);
    expect(justice).toMatch(/^hub_policy_decisions_total\{department="justice",outcome="deny"\} [1-9]\d*/m);
    expect(justice).toMatch(/^hub_graphql_errors_total\{service="justice",code="FORBIDDEN_FIELD"\} [1-9]\d*/m);
  });

  test('/healthz and /readyz on every process', async () => {
    for (const p of Object.values(t.processes)) {
      expect((await fetch(`${p!.base}/healthz`)).status).toBe(200);
      const ready = await readyz(p!.base);
      expect(ready.status).toBe(200);
      if (p!.role === 'gateway') {
        expect(ready.body).toMatchObject({ status: 'ready', supergraph: expect.stringMatching(/^[0-9a-f]{16}$/) });
        expect(Object.keys(ready.body.subgraphs).sort()).toEqual(['audit', 'court', 'grid', 'justice', 'police', 'procuratorate']);
      } else {
        expect(ready.body.checks).toEqual({ database: 'ok', migrations: 'ok', audit: 'ok' });
      }
    }
  });
});

describe('failures', () => {
  test('a subgraph killed: partial results naming it, then full results once it is back, without touching the gateway', async () => {
    const gatewayPid = t.processes.gateway!.child.pid;
    t.processes.police!.child.kill('SIGKILL');
    expect(await t.processes.police!.exit).toBe('SIGKILL');

    const partial = await personView();
    expect(partial.status).toBe(200);
    const p = partial.body.data!.person!;
    expect(p.name).toEqual(expect.any(String));
    expect(p.policeRecords).toBeNull();
    expect(p.prosecutions).toContainEqual({ caseNo: chain.prosecution!.prosecutionCaseNo });
    expect(p.courtCases).toContainEqual({ caseNo: chain.trial!.courtCaseNo });
    expect(partial.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'police' }) }),
    ]);
    expect(partial.body.errors![0].message).toMatch(/^police is unavailable/);

    const degraded = await readyz(t.processes.gateway!.base);
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.subgraphs.police.state).toBe('down');

    await t.start('police');
    expectFullPersonView(await personView());
    await waitFor('the gateway to see police up', 5_000, async () => ((await readyz(t.processes.gateway!.base)).body.status === 'ready' ? true : undefined));
    expect(t.processes.gateway!.child.pid).toBe(gatewayPid);
    expect(t.processes.gateway!.child.exitCode).toBeNull();
  });

  test('a subgraph that hangs: the call times out (SUBGRAPH_TIMEOUT_MS) with DEPARTMENT_UNAVAILABLE, and it answers again once resumed', async () => {
    const court = t.processes.court!;
    court.child.kill('SIGSTOP');
    try {
      const res = await personView();
      expect(res.body.data!.person!.policeRecords).toContainEqual({ role: 'SUSPECT', policeCase: { caseNo: chain.policeCaseNo } });
      expect(res.body.data!.person!.courtCases).toBeNull();
      expect(res.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'court', reason: 'no answer within 5000 ms' } }),
      ]);
    } finally {
      court.child.kill('SIGCONT');
    }
    expectFullPersonView(await personView());
  });

  test("a department's database refusing connections: DEPARTMENT_UNAVAILABLE from its subgraph, /readyz red, and back without a restart", async () => {
    const db = t.databases.police;
    const pid = t.processes.police!.child.pid;
    await t.sql(null, `alter database "${db}" allow_connections false`);
    try {
      await t.sql(null, 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [db]);
      const res = await personView();
      expect(res.body.data!.person!.name).toEqual(expect.any(String));
      expect(res.body.data!.person!.policeRecords).toBeNull();
      expect(res.body.data!.person!.prosecutions).toContainEqual({ caseNo: chain.prosecution!.prosecutionCaseNo });
      expect(new Set(codes(res.body.errors))).toEqual(new Set(['DEPARTMENT_UNAVAILABLE']));
      expect(res.body.errors![0].extensions).toMatchObject({ department: 'police', reason: 'database unreachable' });

      const ready = await readyz(t.processes.police!.base);
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toMatch(/^database unreachable: .*not currently accepting connections/);
      expect(await metrics(t.processes.police!.base)).toMatch(/^hub_database_up\{department="police"\} 0/m);
      await waitFor('the gateway to see police not ready', 5_000, async () => {
        const g = await readyz(t.processes.gateway!.base);
        return g.body.subgraphs.police.state === 'not ready' ? true : undefined;
      });
    } finally {
      await t.sql(null, `alter database "${db}" allow_connections true`);
    }
    await waitFor('police to be ready again', 10_000, async () => ((await readyz(t.processes.police!.base)).status === 200 ? true : undefined));
    expectFullPersonView(await personView());
    expect(t.processes.police!.child.pid).toBe(pid);
  });

  test('a supergraph that does not parse or compose is refused (the old one keeps serving); a good one is applied on SIGHUP', async () => {
    const gateway = t.processes.gateway!;
    const original = readFileSync(t.supergraphFile, 'utf8');
    const refusedBefore = Number(/^hub_supergraph_reloads_total\{outcome="refused"\} (\d+)/m.exec(await metrics(gateway.base))?.[1] ?? 0);
    // Cut in the middle: does not parse. Then one whose `Person` names a subgraph that does not exist: does not compose.
    for (const bad of [original.slice(0, original.length / 2), original.replace('@join__type(graph: POLICE, key: "id")', '@join__type(graph: NOWHERE, key: "id")')]) {
      writeFileSync(t.supergraphFile, bad);
      gateway.child.kill('SIGHUP');
      await waitFor('the reload to be refused', 5_000, async () => {
        const m = /^hub_supergraph_reloads_total\{outcome="refused"\} (\d+)/m.exec(await metrics(gateway.base));
        return m && Number(m[1]) > refusedBefore ? true : undefined;
      });
    }
    expect(gateway.child.exitCode).toBeNull();
    expectFullPersonView(await personView());

    // Without Person.prosecutions: a valid supergraph; once applied, asking for the field is a validation error.
    const withoutProsecutions = original.replace(/\n\s*"""\n\s*Prosecution review cases with this person as a defendant, newest first\.\n\s*"""\n\s*prosecutions: \[ProsecutionCase!\] @join__field\(graph: PROCURATORATE\)/, '');
    expect(withoutProsecutions.length).toBeLessThan(original.length);
    writeFileSync(t.supergraphFile, withoutProsecutions);
    gateway.child.kill('SIGHUP');
    const rejected = await waitFor('the new supergraph to be served', 5_000, async () => {
      const res = await personView();
      return res.body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? res : undefined;
    });
    expect(rejected.body.errors![0].message).toMatch(/prosecutions/);

    writeFileSync(t.supergraphFile, original);
    gateway.child.kill('SIGHUP');
    await waitFor('the original supergraph to be back', 5_000, async () => ((await personView()).body.errors === undefined ? true : undefined));
    expect(await metrics(gateway.base)).toMatch(/^hub_supergraph_reloads_total\{outcome="applied"\} 2/m);
  });

  /** Holds an exclusive lock on the police table behind `Person.policeRecords` while `during` runs. */
  async function withPoliceTableLocked<T>(during: () => Promise<T>): Promise<T> {
    const lock = new Client({ connectionString: withDatabase(process.env.HUB_TEST_SERVER_URL!, t.databases.police) });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('lock table police.case_participant in access exclusive mode');
      return await during();
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
    }
  }

  test('a query waiting past DB_QUERY_TIMEOUT_MS is cancelled: DEPARTMENT_UNAVAILABLE (database timeout), and the next one answers', async () => {
    const res = await withPoliceTableLocked(() => personView());
    expect(res.body.data!.person!.policeRecords).toBeNull();
    expect(res.body.data!.person!.prosecutions).toContainEqual({ caseNo: chain.prosecution!.prosecutionCaseNo });
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['person', 'policeRecords'], extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'police', reason: 'database timeout' }) }),
    ]);
    expectFullPersonView(await personView());
  });

  test('SIGTERM during a slow request: the process stops accepting, the request completes, the process exits 0', async () => {
    const policeProcess = t.processes.police!;
    // The slow request: its police query waits on a lock this test holds (no test-only code in the subgraph).
    const { slow } = await withPoliceTableLocked(async () => {
      const slow = personView();
      await waitFor('the police query to wait on the lock', 10_000, async () => {
        const rows = await t.sql(null, `select 1 from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and application_name = 'pingan-hub-police'`, [t.databases.police]);
        return rows.length ? true : undefined;
      });
      policeProcess.child.kill('SIGTERM');
      await waitFor('police to stop accepting connections', 5_000, async () =>
        fetch(`${policeProcess.base}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(() => undefined, () => true));
      expect(policeProcess.child.exitCode).toBeNull();
      // Wrapped: returning the promise itself would wait for it with the lock still held.
      return { slow };
    });
    expectFullPersonView(await slow);
    expect(await policeProcess.exit).toBe(0);
  });

  test('every other process stops on SIGTERM with exit code 0', async () => {
    const running = Object.values(t.processes).filter((p) => p!.child.exitCode === null && p!.child.signalCode === null);
    expect(running.length).toBe(6);
    for (const p of running) p!.child.kill('SIGTERM');
    expect(await Promise.all(running.map((p) => p!.exit))).toEqual(running.map(() => 0));
  });
});
