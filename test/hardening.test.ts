import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { hostAllowed } from '../src/gateway/httpHeaders';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { readSupergraph } from '../src/cli/compose';
import { startGateway, type RunningGateway } from '../src/gateway/server';
import { operationHash } from '../src/gateway/trustedOperations';
import { DEFAULT_PAGE_SIZE } from '../src/kit/pagination';
import { loadConfig } from '../src/shared/config';
import { withDatabase } from '../src/shared/db';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The gateway as production runs it (no introspection or error details for non-admins, no APQ),
 * against hostile and broken requests: what leaks in errors, what HTTP lets through.
 */
let t: TestHub;
const ALLOWED_ORIGIN = 'https://police.example.gov.cn';
const PRODUCTION_LIKE = { INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' };
beforeAll(async () => {
  t = await startTestHub({ ...PRODUCTION_LIKE, CORS_ORIGINS: ALLOWED_ORIGIN, DB_QUERY_TIMEOUT_MS: '300' });
});
afterAll(async () => {
  await t?.stop();
});

const DISTRICT = '{ district(code: "211402") { code name } }';

async function raw(init: { method?: string; body?: string; headers?: Record<string, string>; search?: string; token?: string | null }) {
  const auth = init.token === null ? {} : { authorization: `Bearer ${init.token ?? (await t.token('police'))}` };
  const before = t.subgraphRequests();
  const res = await fetch(`${t.url}${init.search ?? ''}`, { method: init.method ?? 'POST', headers: { ...auth, ...init.headers }, body: init.body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
    subgraphCalls: t.subgraphRequests() - before,
  };
}

describe('error masking', () => {
  it('hides a database error (its SQL, table and column) behind a generic message with the request id, in the gateway and in the subgraph', async () => {
    await sql(t, 'alter table grid.district rename to district_hidden');
    try {
      const res = await t.query('police', DISTRICT);
      const requestId = res.headers.get('x-request-id');
      expect(res.body.errors).toEqual([
        { message: `internal error (request ${requestId})`, path: ['district'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
      ]);
      const direct = await t.subgraphQuery('grid', 'police', DISTRICT);
      expect(direct.body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([
        { message: 'internal error', code: 'INTERNAL_SERVER_ERROR' },
      ]);
      for (const text of [JSON.stringify(res.body), JSON.stringify(direct.body)]) {
        expect(text).not.toMatch(/select|relation|does not exist|grid\.|stack|serviceName/i);
      }
    } finally {
      await sql(t, 'alter table grid.district_hidden rename to district');
    }
  });

  it('keeps our own codes and messages, without the service name the gateway used to add', async () => {
    const [p] = await sql<{ id: string }>(t, `select id from grid.person where grid_code like '211402%' order by id limit 1`);
    const res = await t.query('zongzhi', `query ($id: ID!) { person(id: $id) { id householdStatus } }`, { id: p.id });
    expect(res.body.errors).toEqual([
      {
        message: 'Person.householdStatus: access denied (not granted to zongzhi)',
        path: ['person', 'householdStatus'],
        extensions: { code: 'FORBIDDEN_FIELD', field: 'Person.householdStatus', reason: 'not granted to zongzhi' },
      },
    ]);
    const bad = await t.query('police', `{ personByIdNumber(idNumber: "123") { id } }`);
    expect(bad.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'idNumber' });
  });

  it('answers a variable of the wrong type sent straight to a subgraph as BAD_USER_INPUT (400), not as an internal error', async () => {
    const res = await t.subgraphQuery('grid', 'police', 'query ($code: String!) { district(code: $code) { code } }', { code: 211402 });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Variable "$code" got invalid value 211402; String cannot represent a non string value: 211402', 'BAD_USER_INPUT'],
    ]);
  });

  it('times a database query out after DB_QUERY_TIMEOUT_MS (here a table lock held elsewhere) and masks it', async () => {
    const locker = new Client({ connectionString: withDatabase(t.serverUrl, t.database) });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table grid.district in access exclusive mode');
      const res = await t.query('police', DISTRICT);
      expect(res.status).toBe(200);
      // The department is named as unavailable (issue 10); PostgreSQL's own words and the SQL stay in its log.
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['DEPARTMENT_UNAVAILABLE']);
      expect(JSON.stringify(res.body)).not.toMatch(/canceling statement|select |from "|police_case/i);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect((await t.query('police', DISTRICT)).body.errors).toBeUndefined();
  });

  it('times a subgraph call out after SUBGRAPH_TIMEOUT_MS: DEPARTMENT_UNAVAILABLE, without its URL', async () => {
    // A "subgraph" that accepts connections and never answers.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const config = loadConfig({ ...PRODUCTION_LIKE, HUB_DATA_DIR: t.dataDir });
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGateway({
        host: '127.0.0.1',
        port: 0,
        opsPort: 0,
        supergraphSdl: readSupergraph(),
        keys: t.hub.keys,
        callSecret: config.personKeySecret,
        subgraphTimeoutMs: 200,
        requestTimeoutMs: 20_000,
        mode: 'dev',
        security: config.security,
        pages: { default: DEFAULT_PAGE_SIZE, max: config.maxPageSize },
        subgraphUrls: { ...t.subgraphUrls, grid: silentUrl },
        subgraphOpsUrls: t.subgraphOpsUrls,
      });
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('police')}` },
        body: JSON.stringify({ query: DISTRICT }),
      });
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(res.status).toBe(200);
      expect(body.errors.map((e) => ({ code: e.extensions.code, department: e.extensions.department }))).toEqual([
        { code: 'DEPARTMENT_UNAVAILABLE', department: 'grid' },
      ]);
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');
    } finally {
      await gateway?.stop();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('schema disclosure', () => {
  const INTROSPECTIONS = [
    '{ __schema { types { name } } }',
    '{ __type(name: "Person") { fields { name } } }',
    '{ district(code: "211402") { code } ...Q } fragment Q on Query { __schema { queryType { name } } }',
  ];

  it.each(INTROSPECTIONS)('refuses introspection to non-admins before any subgraph call: %s', async (query) => {
    for (const agency of ['police', 'analyst', 'oversight'] as const) {
      const res = await raw({ token: await t.token(agency), headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      expect({ agency, status: res.status, code: res.json().errors?.[0].extensions?.code, calls: res.subgraphCalls }).toEqual({
        agency,
        status: 403,
        code: 'INTROSPECTION_DISABLED',
        calls: 0,
      });
    }
    const admin = await t.query('admin', query);
    expect(admin.body.errors).toBeUndefined();
  });

  it('lets __typename through: it is not introspection', async () => {
    const res = await t.query('police', '{ __typename district(code: "211402") { __typename code } }');
    expect(res.body).toEqual({ data: { __typename: 'Query', district: { __typename: 'District', code: '211402' } } });
  });

  it('drops "Did you mean …" suggestions for non-admins, from field and enum errors', async () => {
    const field = '{ distrct(code: "211402") { code } }';
    const enumValue = '{ persons(filter: { householdStatus: FLOATNG }) { edges { cursor } } }';
    for (const query of [field, enumValue]) {
      const police = await t.query('police', query);
      expect(police.status).toBe(400);
      expect(police.body.errors![0].message).not.toContain('Did you mean');
      const admin = await t.query('admin', query);
      expect(admin.body.errors![0].message).toContain('Did you mean');
    }
  });
});

describe('HTTP', () => {
  it('answers only to loopback names and ALLOWED_HOSTS in dev mode: a DNS-rebinding page cannot fetch a dev token', async () => {
    const { port } = new URL(t.url);
    const as = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/dev/token?agency=admin', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await as(`attacker.example:${port}`)).toBe(421);
    expect(await as('attacker.example')).toBe(421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) expect(await as(host)).toBe(200);
  });

  it('serves /readyz and /metrics on the operations ports only: the public ports of the gateway and of every subgraph answer them 404', async () => {
    const processes = [
      { name: 'gateway', url: t.url, ops: t.hub.gatewayOpsUrl },
      ...Object.values(t.hub.subgraphs).map((s) => ({ name: s.department, url: s.url, ops: s.opsUrl })),
    ];
    for (const p of processes) {
      const publicBase = p.url.replace(/\/graphql$/, '');
      expect(new URL(p.ops).port).not.toBe(new URL(publicBase).port);
      for (const path of ['/readyz', '/metrics']) {
        // With a token too: the public port does not serve them to anyone.
        const open = await fetch(`${publicBase}${path}`, { headers: { authorization: `Bearer ${await t.token('admin')}` } });
        expect({ name: p.name, path, status: open.status }).toEqual({ name: p.name, path, status: 404 });
      }
      expect({ name: p.name, healthz: (await fetch(`${publicBase}/healthz`)).status }).toEqual({ name: p.name, healthz: 200 });
      const ready = await fetch(`${p.ops}/readyz`);
      expect({ name: p.name, ready: ready.status }).toEqual({ name: p.name, ready: 200 });
      expect(await (await fetch(`${p.ops}/metrics`)).text()).toMatch(/^process_resident_memory_bytes \d+/m);
    }
    // What the gateway's /readyz tells is what the public port must not: each department's state.
    const gateway = (await (await fetch(`${t.hub.gatewayOpsUrl}/readyz`)).json()) as { subgraphs: Record<string, { state: string }> };
    expect(Object.keys(gateway.subgraphs).sort()).toEqual(Object.keys(t.hub.subgraphs).sort());
  });

  it('takes the names of ALLOWED_HOSTS, and checks production only when they are set', () => {
    const req = (host: string) => ({ headers: { host } }) as IncomingMessage;
    expect(hostAllowed(req('hub.example:4000'), ['hub.example'], true)).toBe(true);
    expect(hostAllowed(req('other.example'), ['hub.example'], true)).toBe(false);
    expect(hostAllowed(req('other.example'), [], false)).toBe(true);
    expect(hostAllowed(req('localhost'), ['hub.example'], false)).toBe(false);
    expect(hostAllowed(req('hub.example'), ['hub.example'], false)).toBe(true);
  });

  it('does not let @apollo/gateway phone home (cloud metadata probes, hourly metrics to Apollo)', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('refuses automatic persisted queries in production', async () => {
    const res = await raw({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(DISTRICT) } } }),
    });
    // 200 is what the APQ protocol answers, so clients fall back to sending the document.
    expect({ status: res.status, code: res.json().errors?.[0].extensions?.code, calls: res.subgraphCalls }).toEqual({
      status: 200,
      code: 'PERSISTED_QUERY_NOT_SUPPORTED',
      calls: 0,
    });
  });

  it('prevents CSRF: a GET or a multipart POST runs only with a header a simple cross-site request cannot set', async () => {
    const search = `?query=${encodeURIComponent(DISTRICT)}`;
    const simpleGet = await raw({ method: 'GET', search });
    expect({ status: simpleGet.status, code: simpleGet.json().errors?.[0].extensions?.code, calls: simpleGet.subgraphCalls }).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      calls: 0,
    });
    const preflighted = await raw({ method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(preflighted.json().data).toEqual({ district: { code: '211402', name: expect.any(String) } });
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: DISTRICT }));
    const multipart = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${await t.token('police')}` }, body: form });
    expect(multipart.status).toBe(400);
    const mutationByGet = await raw({
      method: 'GET',
      search: `?query=${encodeURIComponent('mutation { reportGridEvent(input: {gridCode: "1", kind: HAZARD, title: "x", description: "y"}) { id } }')}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(mutationByGet.status).toBe(405);
  });

  it('answers CORS for allowed origins only, and refuses requests from other pages outright', async () => {
    const preflight = (origin: string) =>
      fetch(t.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const evil = await preflight('https://evil.example.com');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const fromEvil = await raw({
      headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' },
      body: JSON.stringify({ query: DISTRICT }),
    });
    expect({ status: fromEvil.status, code: fromEvil.json().errors?.[0].extensions?.code, calls: fromEvil.subgraphCalls }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      calls: 0,
    });
    const fromAllowed = await raw({ headers: { 'content-type': 'application/json', origin: ALLOWED_ORIGIN }, body: JSON.stringify({ query: DISTRICT }) });
    expect(fromAllowed.status).toBe(200);
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('sends security headers on every response, errors included', async () => {
    const responses = [
      await raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DISTRICT }) }),
      await raw({ token: null, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DISTRICT }) }),
      await raw({ headers: { 'content-type': 'application/json' }, body: '{not json' }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 400]);
    for (const res of responses) {
      expect(
        Object.fromEntries(
          ['cache-control', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'].map((h) => [h, res.headers.get(h)]),
        ),
      ).toEqual({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
