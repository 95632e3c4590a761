import { generateKeyPair } from 'jose';
import { CallerAuthError, signCallerToken, verifyCallerToken } from './callerToken';
import { TOKEN_ALG } from './keys';

const officer = { sub: 'po-1', name: '民警', agency: 'police' as const, roles: [], jurisdiction: ['211402'] };

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG);
  return { privateKey, settings: { issuer: 'iss', audience: 'aud', key: publicKey } };
}

afterEach(() => jest.useRealTimers());

test('a token verified once is served from the cache, a copy each time', async () => {
  const { privateKey, settings } = await setup();
  const token = await signCallerToken(privateKey, 'iss', 'aud', { ...officer, ttl: '10m' });
  const first = await verifyCallerToken(token, settings);
  first.jurisdiction.push('999999');
  const second = await verifyCallerToken(token, settings);
  expect(second).toEqual({ ...officer, name: '民警' });
});

test('an altered token, another audience, or an expired token are refused even after the genuine one was cached', async () => {
  const { privateKey, settings } = await setup();
  const token = await signCallerToken(privateKey, 'iss', 'aud', { ...officer, ttl: '30s' });
  await verifyCallerToken(token, settings);
  const [h, p, sig] = token.split('.');
  const altered = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
  await expect(verifyCallerToken(altered, settings)).rejects.toThrow(CallerAuthError);
  await expect(verifyCallerToken(token, { ...settings, audience: 'other' })).rejects.toThrow(/claim "aud"/);
  // Past the token's expiry (sooner than the cache's 60 s) the cached entry is not used: refused.
  jest.useFakeTimers({ now: Date.now() + 31_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  await expect(verifyCallerToken(token, settings)).rejects.toThrow('token expired');
});
