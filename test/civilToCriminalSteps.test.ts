import { SignJWT } from 'jose';
import { signStepToken, STEP_TOKEN_HEADER } from '../src/auth/stepToken';
import { TOKEN_ALG } from '../src/auth/keys';
import { CIVIL_TO_CRIMINAL, STATISTICS_SERVICE } from '../src/analytics/civilToCriminal';
import { httpSteps, refreshCivilToCriminal, StepFailed, withLocalSteps } from '../src/cli/civilToCriminal';
import { INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER } from '../src/auth/internalToken';
import { loadPolicy } from '../src/policy/policy';
import { withDatabase } from '../src/shared/db';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/*
 * 民转刑 with each side in its own department's subgraph server (distributed mode): the
 * coordinator holds no database URL, only the departments' URLs and the internal signing key, and
 * runs the protocol over their internal steps (`POST /internal/civil-to-criminal/<step>`). What it
 * stores equals the in-process run's; only a step token of the statistics service for that
 * department, step and body, used once, is accepted; a run is used once.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const departments = () => ({ police: t.subgraphUrls.police, justice: t.subgraphUrls.justice });
const key = () => t.hub.keys.internalSigningKey!;

type Answer = { status: number; body: { errors?: Array<{ message: string; extensions?: { code?: string } }> } & Record<string, unknown> };

/** POSTs `body` to a step of `department` with the given headers (a step token or anything else). */
async function post(department: string, step: string, body: unknown, headers: Record<string, string>, path = `internal/${step}`): Promise<Answer> {
  const res = await fetch(new URL(path, t.subgraphUrls[department]), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** A step token of the statistics service (or `service`) for `department`, `step` and `body`. */
const tokenFor = (department: string, step: string, body: unknown, service = STATISTICS_SERVICE) =>
  signStepToken(key(), { service, department, step, body: JSON.stringify(body) });

const call = async (department: string, step: string, body: unknown) =>
  post(department, step, body, { [STEP_TOKEN_HEADER]: await tokenFor(department, step, body) });
const codes = (a: Answer) => [a.status, a.body.errors?.map((e) => e.extensions?.code)];

async function storedCells(): Promise<Array<{ measure: string; code: string; period: string; value: number | null }>> {
  return sql(t, 'select measure, code, period, value from police.statistics_release where statistic = $1 order by measure, code, period', [CIVIL_TO_CRIMINAL]);
}

describe('民转刑 across the departments’ processes', () => {
  it('stores over the departments’ steps exactly what the in-process run stores, the coordinator reading no database', async () => {
    const inProcess = await storedCells();
    expect(inProcess.length).toBeGreaterThan(0);
    await sql(t, 'delete from police.statistics_release where statistic = $1', [CIVIL_TO_CRIMINAL]);
    const requests = { police: t.hub.subgraphs.police.stats.requests, justice: t.hub.subgraphs.justice.stats.requests };
    const traffic = { sent: 0, received: 0 };
    // Only the departments' URLs and the signing key: no database URL reaches the coordinator.
    const run = await refreshCivilToCriminal(httpSteps(departments(), key(), traffic), { traffic });
    expect(run).toMatchObject({ department: 'civilToCriminal', elements: { police: 48, justice: 1002 }, cells: inProcess.length / 2 });
    expect(await storedCells()).toEqual(inProcess);
    // start, reblind and store at the police; start and reblind at the justice bureau.
    expect(t.hub.subgraphs.police.stats.requests - requests.police).toBe(3);
    expect(t.hub.subgraphs.justice.stats.requests - requests.justice).toBe(2);
    // The 1,050 blinded values travel three times (from their side, to the other, back reblinded), 32 bytes each in base64 (42⅔), and little else.
    expect(traffic.sent + traffic.received).toBeGreaterThan(3 * 1050 * 42);
    expect(traffic.sent + traffic.received).toBeLessThan(3 * 1050 * 43 + 4_000);
    // The in-process transport (embedded mode), the same steps: the same cells again, and a run skipped when one is stored.
    const url = withDatabase(t.serverUrl, t.database);
    await withLocalSteps({ police: url, justice: url }, loadPolicy(), (local) => refreshCivilToCriminal(local));
    expect(await storedCells()).toEqual(inProcess);
    expect(await refreshCivilToCriminal(httpSteps(departments(), key()), { onlyIfMissing: true })).toBeNull();
  });

  it('refuses every caller but the statistics service with a token for this department, step and body, once', async () => {
    const step = 'civil-to-criminal/start';
    const body = {};
    const refused = [401, ['UNAUTHENTICATED']];
    // No token; a caller's (agency) token; the gateway's internal token for a police officer's request.
    expect(codes(await post('police', step, body, {}))).toEqual(refused);
    const agency = await t.token('police');
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: agency }))).toEqual(refused);
    expect(codes(await post('police', step, body, { authorization: `Bearer ${agency}` }))).toEqual(refused);
    const internal = await t.agencyInternalToken('police');
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: internal }))).toEqual(refused);
    // A step token for another department, another step, another body; one signed with the caller key.
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: await tokenFor('justice', step, body) }))).toEqual(refused);
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: await tokenFor('police', 'civil-to-criminal/store', body) }))).toEqual(refused);
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: await tokenFor('police', step, { unlessStored: true }) }))).toEqual(refused);
    const forged = await new SignJWT({ bh: 'x' })
      .setProtectedHeader({ alg: TOKEN_ALG })
      .setIssuer('pingan-hub-service')
      .setAudience(`pingan-hub-step:police/${step}`)
      .setSubject(`service:${STATISTICS_SERVICE}`)
      .setJti('forged')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(t.hub.keys.devCallerSigningKey!);
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: forged }))).toEqual(refused);
    // Another hub service's token: signed right, not the step's service.
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: await tokenFor('police', step, body, 'workflow-effects') }))).toEqual([
      403,
      ['FORBIDDEN'],
    ]);
    // A step token is no internal token for the department's GraphQL, and is good for one call only.
    const good = await tokenFor('police', step, body);
    const query = '{ __typename }';
    const graphql = await fetch(t.subgraphUrls.police, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: good, [INTERNAL_CALL_HEADER]: t.bindCall('police', good, query) },
      body: JSON.stringify({ query }),
    });
    expect(graphql.status).toBe(401);
    expect((await post('police', step, body, { [STEP_TOKEN_HEADER]: good })).status).toBe(200);
    expect(codes(await post('police', step, body, { [STEP_TOKEN_HEADER]: good }))).toEqual(refused);
    // Only the steps a department has: the justice bureau stores nothing.
    expect((await call('justice', 'civil-to-criminal/store', { counts: {} })).status).toBe(404);
  });

  it('a run is reblinded once: an unknown or used run is RUN_EXPIRED, a bad value BAD_USER_INPUT', async () => {
    const started = await call('justice', 'civil-to-criminal/start', {});
    expect(started.status).toBe(200);
    const { run, groups } = started.body as { run: string; groups: Record<string, string> };
    const police = (await call('police', 'civil-to-criminal/start', {})).body as { groups: Record<string, string> };
    expect(codes(await call('justice', 'civil-to-criminal/reblind', { run: 'no-such-run', groups: police.groups }))).toEqual([410, ['RUN_EXPIRED']]);
    expect(codes(await call('justice', 'civil-to-criminal/reblind', { run, groups: { x: 'not base64!' } }))).toEqual([400, ['BAD_USER_INPUT']]);
    expect(codes(await call('justice', 'civil-to-criminal/reblind', { run, groups: { x: Buffer.alloc(33).toString('base64') } }))).toEqual([
      400,
      ['BAD_USER_INPUT'],
    ]);
    const reblinded = await call('justice', 'civil-to-criminal/reblind', { run, groups: police.groups });
    expect(reblinded.status).toBe(200);
    expect(Object.keys(reblinded.body.groups as object).sort()).toEqual(Object.keys(police.groups).sort());
    // Used: its scalar is gone.
    expect(codes(await call('justice', 'civil-to-criminal/reblind', { run, groups: police.groups }))).toEqual([410, ['RUN_EXPIRED']]);
    // A value that is no group element (all ones is not canonical) uses the run up and is refused.
    const again = (await call('justice', 'civil-to-criminal/start', {})).body as { run: string };
    expect(codes(await call('justice', 'civil-to-criminal/reblind', { run: again.run, groups: { x: Buffer.alloc(32, 0xff).toString('base64') } }))).toEqual([
      400,
      ['BAD_USER_INPUT'],
    ]);
    expect(groups['']).toBeDefined();
    // The coordinator says which department refused what, by code.
    const refusing = httpSteps({ police: t.subgraphUrls.police, justice: t.subgraphUrls.police }, key());
    await expect(refreshCivilToCriminal(refusing)).rejects.toEqual(new StepFailed('justice', 'civil-to-criminal/start', 401, 'UNAUTHENTICATED'));
  });
});
