import { randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { cityWideChange } from '../src/auth/devTokens';
import { inJurisdiction } from '../src/auth/viewer';
import { signInternalToken } from '../src/auth/internalToken';
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

  async function signed(opts: { key?: CryptoKey; audience?: string; issuer?: string; exp?: number | string; sub?: string; payload?: Record<string, unknown> }): Promise<string> {
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
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'po-1', iss: t.hub.keys.callerIssuer, aud: t.hub.keys.callerAudience, exp: Math.floor(Date.now() / 1000) + 600 })}.`, /invalid token/],
    ['unknown agency', async () => signed({ payload: { agency: 'fbi' } }), /unknown agency/],
    ['malformed', async () => 'not.a.jwt', /invalid token/],
    ['bad jurisdiction code', async () => signed({ payload: { jurisdiction: ['21'] } }), /jurisdiction/],
    // An empty code once made every code start with the prefix "": city-wide rows for anyone.
    ['empty jurisdiction code', async () => signed({ payload: { jurisdiction: [''] } }), /jurisdiction "" is not/],
    ['valid and empty jurisdiction codes', async () => signed({ payload: { jurisdiction: ['211402001', ''] } }), /jurisdiction "" is not/],
    ['city-wide police without the city role', async () => signed({ payload: { jurisdiction: ['211400'] } }), /needs the "city" role/],
    ['district-wide grid worker', async () => signed({ payload: { agency: 'grid', jurisdiction: ['211402'] } }), /grid token holds 12-digit codes/],
    ['city-wide grid worker with the city role', async () => signed({ payload: { agency: 'grid', roles: ['city'], jurisdiction: ['211400'] } }), /may not hold/],
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

  it.each(['grid', 'police', 'procuratorate', 'court', 'justice'])('%s refuses requests without, or with forged or expired, internal tokens — _service and _entities included', async (department) => {
    const forgedKey = (await generateKeyPair('ES256')).privateKey;
    const viewer = { sub: 'x', name: 'x', agency: 'admin' as const, roles: [], jurisdiction: ['211400'] };
    const forged = await signInternalToken(forgedKey, { viewer, requestId: 'r', purpose: null });
    const expired = await new SignJWT({ viewer, rid: 'r' })
      .setProtectedHeader({ alg: 'ES256' }).setIssuer('pingan-hub-gateway').setAudience('pingan-hub-subgraph')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120).setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(t.hub.keys.internalSigningKey!);
    const callerToken = await t.token('admin');
    for (const who of [null, { internalToken: forged }, { internalToken: expired }, { internalToken: callerToken }]) {
      for (const query of ['{ _service { sdl } }', ENTITIES]) {
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
  });
});
