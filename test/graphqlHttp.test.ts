import { serverAudits } from 'graphql-http';
import { startTestHub, type TestHub } from './support/hub';
import { startTopology, type Topology } from './support/processes';

/**
 * The GraphQL-over-HTTP audit suite of graphql-http against the gateway: in dev mode with the
 * settings production forces (no introspection for non-admins, no error details, no APQ), and in
 * production mode itself (`HUB_MODE=production`, the `hub serve` processes with their own keys).
 * The only help a client gets is its bearer token: CSRF prevention stays on, so GET requests
 * without a preflight header are refused, which the spec allows (a MAY). Some audits query
 * `__type`, which only admin may: the suite runs as admin, and as an officer for the record.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' });
});
afterAll(async () => {
  await t?.stop();
});

async function audit(agency: 'admin' | 'police', url = t.url, token?: string, mode = 'dev') {
  const bearer = token ?? (await t.token(agency));
  const fetchFn = (input: string, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${bearer}` } });
  const results: Array<{ id: string; name: string; status: string; reason?: string }> = [];
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, ...('reason' in result ? { reason: result.reason } : {}) });
  }
  const counts = (level: string) => {
    const ofLevel = results.filter((r) => r.name.startsWith(`${level} `));
    return `${level}: ${ofLevel.filter((r) => r.status === 'ok').length}/${ofLevel.length} ok`;
  };
  console.log(
    [
      `graphql-http audits in ${mode} mode as ${agency}: ${counts('MUST')}, ${counts('SHOULD')}, ${counts('MAY')}`,
      ...results.filter((r) => r.status !== 'ok').map((r) => `  ${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason ?? ''}`),
    ].join('\n'),
  );
  return results;
}

it('passes every MUST audit of the GraphQL-over-HTTP spec (and reports the others)', async () => {
  const results = await audit('admin');
  expect(results.filter((r) => r.name.startsWith('MUST ') && r.status !== 'ok')).toEqual([]);
  expect(results.filter((r) => r.name.startsWith('MUST ')).length).toBeGreaterThanOrEqual(13);
});

it('fails, as an officer, only the MUST audits that introspect (`__type`), which the policy refuses', async () => {
  const results = await audit('police');
  expect(
    results
      .filter((r) => r.name.startsWith('MUST ') && r.status !== 'ok')
      .map((r) => r.id)
      .sort(),
  ).toEqual(['28B9', 'BF61']);
});

describe('in production mode (HUB_MODE=production, `hub serve` processes)', () => {
  let prod: Topology;
  beforeAll(async () => {
    prod = await startTopology();
  }, 180_000);
  afterAll(async () => {
    await prod?.stop();
  });

  it('passes every MUST audit as admin', async () => {
    const results = await audit('admin', prod.gatewayUrl, await prod.token('admin'), 'production');
    expect(results.filter((r) => r.name.startsWith('MUST ') && r.status !== 'ok')).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST ')).length).toBeGreaterThanOrEqual(13);
  });
});
