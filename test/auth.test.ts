import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { cityWideChange, devIdentities } from '../src/auth/devTokens';
import { inJurisdiction } from '../src/auth/viewer';
import { INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER, signInternalToken } from '../src/auth/internalToken';
import { gatewayOptions } from '../src/cli/runtime';
import { readSupergraph } from '../src/cli/compose';
import { startGateway, type RunningGateway } from '../src/gateway/server';
import { loadConfig } from '../src/shared/config';
import { withDeadline } from '../src/shared/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const QUERY = '{ persons(first: 1) { edges { node { id } } } }';

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('caller tokens at the gateway', () => {
  const claims = { name: 'x', agency: 'police', roles: [], jurisdiction: ['211402'] };

  async function signed(opts: {
    key?: CryptoKey;
    audience?: string;
    issuer?: string;
    exp?: number | string;
    sub?: string;
    payload?: Record<string, unknown>;
  }): Promise<string> {
    const key = opts.key ?? t.hub.keys.devCallerSigningKey!;
    return new SignJWT({ ...claims, ...opts.payload })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(opts.sub ?? 'po-1')
      .setIssuer(opts.issuer ?? t.hub.keys.callerIssuer)
      .setAudience(opts.audience ?? t.hub.keys.callerAudience)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '1h')
      .sign(key);
  }

  /** A well-formed token whose header names `alg`, with a signature of random bytes. */
  function forged(alg: string): string {
    const payload = { ...claims, sub: 'po-1', iss: t.hub.keys.callerIssuer, aud: t.hub.keys.callerAudience, exp: Math.floor(Date.now() / 1000) + 600 };
    return `${b64({ alg, typ: 'JWT' })}.${b64(payload)}.${randomBytes(256).toString('base64url')}`;
  }

  it('accepts a valid token', async () => {
    const res = await t.query({ token: await signed({}) }, QUERY);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  const refusals: Array<[string, () => Promise<string | null>, RegExp]> = [
    ['missing', async () => null, /missing bearer token/],
    ['expired', async () => signed({ exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['wrong signature', async () => signed({ key: (await generateKeyPair('ES256')).privateKey }), /signature/],
    ['wrong audience', async () => signed({ audience: 'someone-else' }), /aud/],
    ['wrong issuer', async () => signed({ issuer: 'https://evil.example' }), /iss/],
    [
      'alg none',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'po-1', iss: t.hub.keys.callerIssuer, aud: t.hub.keys.callerAudience, exp: Math.floor(Date.now() / 1000) + 600 })}.`,
      /invalid token/,
    ],
    ['unknown agency', async () => signed({ payload: { agency: 'fbi' } }), /unknown agency/],
    ['malformed', async () => 'not.a.jwt', /invalid token/],
    ['bad jurisdiction code', async () => signed({ payload: { jurisdiction: ['21'] } }), /jurisdiction/],
    // An empty code once made every code start with the prefix "": city-wide rows for anyone.
    ['empty jurisdiction code', async () => signed({ payload: { jurisdiction: [''] } }), /jurisdiction "" is not/],
    ['valid and empty jurisdiction codes', async () => signed({ payload: { jurisdiction: ['211402001', ''] } }), /jurisdiction "" is not/],
    ['city-wide police without the city role', async () => signed({ payload: { jurisdiction: ['211400'] } }), /needs the "city" role/],
    ['district-wide grid worker', async () => signed({ payload: { agency: 'grid', jurisdiction: ['211402'] } }), /grid token holds 12-digit codes/],
    [
      'city-wide grid worker with the city role',
      async () => signed({ payload: { agency: 'grid', roles: ['city'], jurisdiction: ['211400'] } }),
      /may not hold/,
    ],
    ['police grid-level code', async () => signed({ payload: { jurisdiction: ['211402001001'] } }), /police token holds 6 or 9-digit codes/],
    ['jurisdiction that is not a list', async () => signed({ payload: { jurisdiction: '211402' } }), /claim "jurisdiction" must be array/],
    ['number jurisdiction code', async () => signed({ payload: { jurisdiction: [211402] } }), /claim "jurisdiction\/0" must be string/],
    ['empty subject', async () => signed({ sub: '' }), /claim "sub"/],
    ['role with a control character', async () => signed({ payload: { roles: ['investigator\u0000'] } }), /claim "roles\/0"/],
    ['RS256 header with a garbage signature', async () => forged('RS256'), /algorithm is not allowed/],
    ['EdDSA header with a garbage signature', async () => forged('EdDSA'), /algorithm is not allowed/],
    ['HS256 header with a garbage signature', async () => forged('HS256'), /algorithm is not allowed/],
  ];
  it.each(refusals)('refuses a %s token with 401 and a clear message', async (_name, make, message) => {
    const token = await make();
    const res = await t.query(token === null ? null : { token }, QUERY);
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0].message).toMatch(message);
  });
});

describe('jurisdiction the role may hold', () => {
  it('accepts a city-wide department officer whom the issuer granted the city role, and city-wide analysts', async () => {
    for (const token of [await t.token('police', cityWideChange('police')), await t.token('analyst')]) {
      const res = await t.query({ token }, '{ myPermissions(type: "Person") { jurisdiction } }');
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
  });

  it.each([
    ['agency=grid&jurisdiction=211402', /grid token holds 12-digit codes/],
    ['agency=police&jurisdiction=211400', /needs the "city" role/],
  ])('the dev token endpoint refuses what the gateway refuses: %s', async (query, message) => {
    const res = await fetch(new URL(`/dev/token?${query}`, t.url));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(message);
  });

  it('the scope check refuses prefixes that would match every code, even if a viewer carried one', () => {
    const viewer = { sub: 'x', name: 'x', agency: 'grid' as const, roles: [], jurisdiction: [''] };
    expect(inJurisdiction(viewer, '211402001001')).toBe(false);
    expect(inJurisdiction({ ...viewer, jurisdiction: ['21'] }, '211402001001')).toBe(false);
    expect(inJurisdiction({ ...viewer, jurisdiction: ['211402001001'] }, '211402001001')).toBe(true);
  });
});

describe('subgraphs reached directly', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`;
  const person = () => ({ __typename: 'Person', id: `P${'0'.repeat(32)}` });

  it.each(['grid', 'police', 'procuratorate', 'court', 'justice'])(
    '%s refuses requests without, or with forged or expired, internal tokens — _service and _entities included',
    async (department) => {
      const forgedKey = (await generateKeyPair('ES256')).privateKey;
      const viewer = { sub: 'x', name: 'x', agency: 'admin' as const, roles: [], jurisdiction: ['211400'] };
      const callerToken = await t.token('admin');
      const forged = await signInternalToken(forgedKey, { viewer, purpose: null }, Date.now() + 10_000);
      const expired = await new SignJWT({ viewer, rid: 'r' })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('pingan-hub-gateway')
        .setAudience('pingan-hub-subgraph')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(t.hub.keys.internalSigningKey!);
      const valid = await t.internalToken(viewer);
      for (const query of ['{ _service { sdl } }', ENTITIES]) {
        const unbound = { internalToken: valid, call: '' };
        const forgedBinding = {
          internalToken: valid,
          call: t.bindCall(department, valid, query).replace(/\.[\w-]+$/, `.${randomBytes(32).toString('base64url')}`),
        };
        const boundToAnotherToken = { internalToken: valid, call: t.bindCall(department, await t.internalToken(viewer), query) };
        for (const who of [
          null,
          { internalToken: forged },
          { internalToken: expired },
          { internalToken: callerToken },
          unbound,
          forgedBinding,
          boundToAnotherToken,
        ]) {
          const res = await t.subgraphQuery(department, who, query, { r: [person()] });
          expect(res.status).toBe(401);
          expect(res.body.data).toBeUndefined();
        }
      }
      // The same requests with a valid internal token are answered: the refusals above are the token's.
      const service = await t.subgraphQuery<{ _service: { sdl: string } }>(department, 'admin', '{ _service { sdl } }');
      expect(service.body.data?._service.sdl).toContain('type Query');
      const entities = await t.subgraphQuery<{ _entities: unknown[] }>(department, 'admin', ENTITIES, { r: [person()] });
      expect(entities.status).toBe(200);
      expect(entities.body.data?._entities).toHaveLength(1);
    },
  );
});

describe('internal tokens bound to their call', () => {
  /** What the gateway sent to the grid subgraph, as someone on the wire between them would see it. */
  interface Captured {
    token: string;
    call: string;
    body: string;
  }

  /**
   * A gateway whose grid calls pass through a recorder on the way (the wire an attacker taps),
   * with a request budget of `requestTimeoutMs`; returns the first grid call of one person query.
   */
  async function captureGridCall(requestTimeoutMs: number): Promise<Captured> {
    const captured: Captured[] = [];
    const tap: Server = createServer(
      (req, res) =>
        void (async () => {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const body = Buffer.concat(chunks).toString('utf8');
          const token = req.headers[INTERNAL_TOKEN_HEADER];
          const call = req.headers[INTERNAL_CALL_HEADER];
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (typeof token === 'string' && typeof call === 'string') {
            captured.push({ token, call, body });
            Object.assign(headers, { [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: call });
          }
          const answer = await fetch(new URL(req.url ?? '/', t.hub.subgraphs.grid.url), {
            method: req.method,
            headers,
            body: req.method === 'POST' ? body : undefined,
          });
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
        })(),
    );
    await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGateway({
        ...gatewayOptions(loadConfig({ HUB_DATA_DIR: t.dataDir, REQUEST_TIMEOUT_MS: String(requestTimeoutMs), SUBGRAPH_HEALTH_INTERVAL_MS: '0' }), t.hub.keys),
        port: 0,
        opsPort: 0,
        supergraphSdl: readSupergraph(),
        subgraphUrls: { ...t.subgraphUrls, grid: `http://127.0.0.1:${(tap.address() as AddressInfo).port}/graphql` },
        subgraphOpsUrls: t.subgraphOpsUrls,
      });
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('grid')}` },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    } finally {
      await gateway?.stop();
      tap.closeAllConnections();
      await new Promise((resolve) => tap.close(resolve));
    }
    expect(captured.length).toBeGreaterThan(0);
    return captured[0];
  }

  async function replay(department: string, { token, call }: Captured, body: string): Promise<{ status: number; message: string | undefined }> {
    const res = await fetch(t.hub.subgraphs[department].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: call },
      body,
    });
    const answer = (await res.json()) as { data?: unknown; errors?: Array<{ message: string }> };
    expect(answer.data).toBeUndefined();
    return { status: res.status, message: answer.errors?.[0].message };
  }

  it('a captured gateway→grid token is refused by police, for another document and on second use', async () => {
    const captured = await captureGridCall(20_000);
    expect(await replay('police', captured, captured.body)).toEqual({ status: 401, message: 'internal token is for another subgraph' });
    const another = JSON.stringify({ query: '{ persons(first: 100) { edges { node { id name idNumber } } } }' });
    expect(await replay('grid', captured, another)).toEqual({ status: 401, message: 'internal token was issued for another document' });
    // Rewriting the binding for police (or another document) without the hub's secret does not verify.
    const [, hash, ...rest] = captured.call.split('.');
    expect(await replay('police', { ...captured, call: ['police', hash, ...rest].join('.') }, captured.body)).toEqual({
      status: 401,
      message: 'internal token binding is forged',
    });
    expect(await replay('grid', captured, captured.body)).toEqual({ status: 401, message: 'internal token was already used' });
  });

  it("a captured call is refused after its deadline, though its token still lives (the gateway reuses a token for a minute; the binding's deadline and one-time id bound a capture)", async () => {
    const captured = await captureGridCall(500);
    const { exp } = JSON.parse(Buffer.from(captured.token.split('.')[1], 'base64url').toString()) as { exp: number };
    const deadline = Number(captured.call.split('.')[2]);
    expect(deadline - Date.now()).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 50));
    expect(exp * 1000).toBeGreaterThan(Date.now() + 30_000);
    expect(await replay('grid', captured, captured.body)).toEqual({ status: 504, message: 'the request ran out of time before this department started it' });
    // A binding with a later deadline cannot be made without the hub's secret.
    const parts = captured.call.split('.');
    parts[2] = String(Date.now() + 10_000);
    expect(await replay('grid', { ...captured, call: parts.join('.') }, captured.body)).toEqual({ status: 401, message: 'internal token binding is forged' });
  });

  it('a subgraph refuses work whose deadline has passed before it reads anything', async () => {
    const viewer = devIdentities(t.city.grids[0].code).find((i) => i.agency === 'grid')!;
    const token = await t.internalToken(viewer);
    const before = t.sqlStatements();
    const res = await t.subgraphQuery('grid', { internalToken: token, call: t.bindCall('grid', token, QUERY, Date.now() - 1) }, QUERY);
    expect(res.status).toBe(504);
    expect(res.body.errors?.[0].extensions?.code).toBe('DEADLINE_EXCEEDED');
    expect(t.sqlStatements()).toBe(before);
  });

  it('statements run with at most the time left before the deadline', async () => {
    const em = t.hub.subgraphs.grid.orm.em.fork();
    const started = Date.now();
    await expect(withDeadline(Date.now() + 300, () => em.getConnection().execute('select pg_sleep(3)'))).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Without a deadline the same connection pool still answers (the cancelled statement freed its connection).
    expect(await em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
  });
});
