import { generateKeyPair } from 'jose';
import { bindCall, fetchHash, reusableInternalToken, verifyCallBinding, verifyInternalToken, type TokenClaims } from './internalToken';

const viewer = { sub: 'ju-211402-001', name: '法官', agency: 'court' as const, roles: ['judge'], jurisdiction: ['211402'] };
const claims: TokenClaims = { viewer, purpose: 'case:(2025)辽1402刑初1号', operation: 'PersonView', documentHash: 'a'.repeat(64), established: ['k1'] };

describe('reusableInternalToken', () => {
  it('serves later requests with the same claims one token, while it outlives their deadline', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const soon = Date.now() + 10_000;
    const first = await reusableInternalToken(privateKey, claims, soon);
    expect(await reusableInternalToken(privateKey, { ...claims }, soon + 1_000)).toBe(first);
    // Valid for a minute at least, never less than the deadline asked.
    const { expiresAtMs } = await verifyInternalToken(publicKey, first);
    expect(expiresAtMs).toBeGreaterThanOrEqual(Date.now() + 55_000);
    const late = Date.now() + 120_000;
    const longer = await reusableInternalToken(privateKey, claims, late);
    expect(longer).not.toBe(first);
    expect((await verifyInternalToken(publicKey, longer)).expiresAtMs).toBeGreaterThanOrEqual(late);
  });

  it('signs anew for any other claim: viewer, purpose, operation, document, journey, break-glass, service', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const deadline = Date.now() + 10_000;
    const base = await reusableInternalToken(privateKey, claims, deadline);
    const variants: TokenClaims[] = [
      { ...claims, viewer: { ...viewer, jurisdiction: ['211403'] } },
      { ...claims, purpose: 'case:(2025)辽1402刑初2号' },
      { ...claims, operation: 'Other' },
      { ...claims, documentHash: 'b'.repeat(64) },
      { ...claims, established: ['k1', 'k2'] },
      { ...claims, breakGlass: 'emergency' },
      { ...claims, service: 'workflow-effects' },
    ];
    const tokens = await Promise.all(variants.map((v) => reusableInternalToken(privateKey, v, deadline)));
    expect(new Set([base, ...tokens]).size).toBe(variants.length + 1);
    for (const [i, token] of tokens.entries())
      expect(await verifyInternalToken(publicKey, token)).toMatchObject({ ...variants[i], expiresAtMs: expect.any(Number) });
    // Tokens are per signing key: another gateway key never hands out this one.
    expect(await reusableInternalToken((await generateKeyPair('ES256')).privateKey, claims, deadline)).not.toBe(base);
  });
});

describe('call binding', () => {
  const secret = 'test-secret-of-thirty-two-bytes-or-more';
  const token = 'h.p.signature';
  const call = { subgraph: 'grid', requestId: '0b6f6c1e-6d1f-4c2a-9a55-1d1b6b1c2d3e', fetchHash: fetchHash('{ a }', null), deadline: Date.now() + 5_000 };

  it('carries the request id under the MAC: the subgraph reads it from the binding, and an altered one is a forged binding', () => {
    const header = bindCall(secret, token, call);
    expect(verifyCallBinding(secret, token, header, 'grid', call.fetchHash)).toMatchObject({ requestId: call.requestId, deadline: call.deadline });
    const parts = header.split('.');
    parts[4] = 'another-request';
    expect(() => verifyCallBinding(secret, token, parts.join('.'), 'grid', call.fetchHash)).toThrow('internal token binding is forged');
    // The binding of one token fits no other, even with the same request id.
    expect(() => verifyCallBinding(secret, 'h.p.other', header, 'grid', call.fetchHash)).toThrow('internal token binding is forged');
    // Five parts (the form before request ids moved into the binding) are no binding.
    expect(() => verifyCallBinding(secret, token, [...parts.slice(0, 4), parts[5]].join('.'), 'grid', call.fetchHash)).toThrow('not bound to a call');
  });

  it('refuses to bind a request id that is not a plain identifier', () => {
    for (const requestId of ['', 'a.b', 'x'.repeat(65), 'a b', 'é'])
      expect(() => bindCall(secret, token, { ...call, requestId })).toThrow('is not of the form');
  });
});
