import { errors, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { isValidIdNumber } from '../shared/idNumber';
import { callerClaimsProblem, type CallerClaims } from './claims';
import type { Agency, Viewer } from './viewer';
import { TOKEN_ALG, type CallerVerificationKey } from './keys';

/** Why a caller token was refused; the message is safe to show to the caller. */
export class CallerAuthError extends Error {
  override name = 'CallerAuthError';
}

export interface CallerTokenSettings {
  issuer: string;
  audience: string;
  key: CallerVerificationKey;
}

/**
 * The algorithms a caller key can verify. A token whose header names another one is refused
 * before its signature is looked at; a JWKS picks the key by `alg` and `kid` itself.
 */
function algorithmsFor(key: CallerVerificationKey): string[] {
  if (typeof key === 'function') return [TOKEN_ALG, 'RS256', 'EdDSA'];
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  if (algorithm.name === 'ECDSA') return [{ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[algorithm.namedCurve ?? ''] ?? TOKEN_ALG];
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return [`RS${algorithm.hash?.name.replace('SHA-', '') ?? '256'}`];
  if (algorithm.name === 'RSA-PSS') return [`PS${algorithm.hash?.name.replace('SHA-', '') ?? '256'}`];
  if (algorithm.name === 'Ed25519') return ['EdDSA'];
  return [TOKEN_ALG];
}

/**
 * Caller tokens that verified, by their exact text, per verification settings: a client sends the
 * same token with every request of its session, and each ES256 verification costs about 0.1 ms of
 * CPU (the largest crypto item of the person view's profile). A forged, altered or expired token
 * never matches an entry. An entry is trusted for at most `VERIFIED_FOR_MS` past its verification,
 * so a key withdrawn from a JWKS stops its tokens within that time, as a JWKS refresh would.
 */
const verified = new WeakMap<CallerVerificationKey, Map<string, { viewer: Viewer; until: number }>>();
const VERIFIED_FOR_MS = 60_000;
const MAX_VERIFIED = 10_000;

/** Verifies a caller JWT (signature, issuer, audience, expiry, claims) and returns the viewer. */
export async function verifyCallerToken(token: string, settings: CallerTokenSettings): Promise<Viewer> {
  let cache = verified.get(settings.key);
  if (!cache) verified.set(settings.key, (cache = new Map<string, { viewer: Viewer; until: number }>()));
  const now = Date.now();
  const entry = `${settings.issuer}\u0000${settings.audience}\u0000${token}`;
  const hit = cache.get(entry);
  if (hit && hit.until > now) return structuredClone(hit.viewer);
  const { viewer, expiresAtMs } = await verifyUncached(token, settings);
  // Entries go in roughly in expiry order: drop expired ones from the front, and the oldest when full.
  for (const [t, e] of cache) {
    if (e.until > now && cache.size < MAX_VERIFIED) break;
    cache.delete(t);
  }
  cache.set(entry, { viewer: structuredClone(viewer), until: Math.min(expiresAtMs, now + VERIFIED_FOR_MS) });
  return viewer;
}

async function verifyUncached(token: string, settings: CallerTokenSettings): Promise<{ viewer: Viewer; expiresAtMs: number }> {
  let payload: Record<string, unknown>;
  try {
    const options = { issuer: settings.issuer, audience: settings.audience, algorithms: algorithmsFor(settings.key), requiredClaims: ['exp', 'sub'] };
    const verified = typeof settings.key === 'function' ? await jwtVerify(token, settings.key, options) : await jwtVerify(token, settings.key, options);
    payload = verified.payload;
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new CallerAuthError('token expired');
    if (e instanceof errors.JWSSignatureVerificationFailed) throw new CallerAuthError('token signature is invalid');
    if (e instanceof errors.JWTClaimValidationFailed) throw new CallerAuthError(`token claim "${e.claim}" is invalid: ${e.reason}`);
    if (e instanceof errors.JOSEAlgNotAllowed) throw new CallerAuthError('token algorithm is not allowed');
    if (e instanceof errors.JOSEError) throw new CallerAuthError(`token is malformed or cannot be verified (${e.code})`);
    // A key that cannot run the token's algorithm makes WebCrypto throw (TypeError): still the token's fault.
    throw new CallerAuthError('token cannot be verified with the configured key');
  }
  const problem = callerClaimsProblem(payload);
  if (problem) throw new CallerAuthError(problem);
  const claims = payload as unknown as CallerClaims;
  const viewer: Viewer = {
    sub: claims.sub,
    name: claims.name ?? claims.sub,
    agency: claims.agency,
    roles: claims.roles ?? [],
    jurisdiction: claims.jurisdiction ?? [],
    ...(claims.unit ? { unit: claims.unit } : {}),
  };
  // A citizen is who their ID number says: the schema checks its shape, the check digit here.
  if (claims.agency === 'citizen') {
    if (!claims.idNumber || !isValidIdNumber(claims.idNumber)) throw new CallerAuthError('claim "idNumber" of a citizen token must be a valid ID number');
    viewer.idNumber = claims.idNumber.toUpperCase();
  }
  return { viewer, expiresAtMs: (payload.exp as number) * 1000 };
}

export interface DevTokenRequest {
  sub: string;
  name: string;
  agency: Agency;
  roles?: string[];
  jurisdiction?: string[];
  /** The officer's organisational unit code. */
  unit?: string;
  /** A citizen's ID number (agency `citizen` only). */
  idNumber?: string;
  /** Lifetime such as `8h`, `30m`, `3600s`. */
  ttl?: string;
}

/**
 * Signs a caller token with the dev key (embedded mode, tests, `npm run token`). Claims the
 * gateway would refuse are refused here too, so no tool hands out a token wider than its agency.
 */
export async function signCallerToken(key: CryptoKey, issuer: string, audience: string, req: DevTokenRequest): Promise<string> {
  const problem = callerClaimsProblem({
    sub: req.sub,
    name: req.name,
    agency: req.agency,
    roles: req.roles ?? [],
    jurisdiction: req.jurisdiction ?? [],
    exp: 0,
    ...(req.unit !== undefined ? { unit: req.unit } : {}),
    ...(req.idNumber ? { idNumber: req.idNumber } : {}),
  });
  if (problem) throw new CallerAuthError(problem);
  return new SignJWT({
    name: req.name,
    agency: req.agency,
    roles: req.roles ?? [],
    jurisdiction: req.jurisdiction ?? [],
    ...(req.unit !== undefined ? { unit: req.unit } : {}),
    ...(req.idNumber ? { idNumber: req.idNumber } : {}),
  })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setSubject(req.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(req.ttl ?? '8h')
    .sign(key);
}
