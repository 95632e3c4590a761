import { jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { TOKEN_ALG } from './keys';
import type { Viewer } from './viewer';

/** The header that carries the internal token from the gateway to a subgraph. */
export const INTERNAL_TOKEN_HEADER = 'x-hub-internal-token';

const ISSUER = 'pingan-hub-gateway';
const AUDIENCE = 'pingan-hub-subgraph';
/** Short enough that a leaked token is useless soon; long enough for a slow query plan. */
const TTL_SECONDS = 60;

/** What the gateway vouches for on each subgraph call. */
export interface InternalClaims {
  viewer: Viewer;
  requestId: string;
  purpose: string | null;
  /** The caller's operation name and the SHA-256 of its document, for the audit trail. */
  operation?: string | null;
  documentHash?: string | null;
  /** Case numbers and person keys of the case journey the gateway established for the purpose. */
  established?: string[];
  /** The caller's break-glass reason, when declared. */
  breakGlass?: string | null;
}

export async function signInternalToken(key: CryptoKey, claims: InternalClaims): Promise<string> {
  return new SignJWT({ viewer: claims.viewer, rid: claims.requestId, purpose: claims.purpose, op: claims.operation, doc: claims.documentHash, est: claims.established ?? [], bg: claims.breakGlass ?? null })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.viewer.sub)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key);
}

/**
 * Tokens that verified, by their exact text, per verification key, until they expire. One
 * request's plan calls several subgraphs with the same token (in embedded mode all of them in
 * one process), and each ES256 verification costs about 0.1 ms of CPU. A forged, altered or
 * expired token never matches an entry; the map holds at most a minute of traffic.
 */
const verified = new WeakMap<CryptoKey, Map<string, { claims: InternalClaims; expiresAtMs: number }>>();
const MAX_VERIFIED = 10_000;

/** Throws when the token is missing, forged, expired or not meant for subgraphs. */
export async function verifyInternalToken(key: CryptoKey, token: string): Promise<InternalClaims> {
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(token);
  if (hit && hit.expiresAtMs > now) return hit.claims;
  const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [TOKEN_ALG], requiredClaims: ['exp'] });
  const viewer = payload.viewer as Viewer | undefined;
  if (!viewer || typeof viewer.sub !== 'string' || typeof viewer.agency !== 'string' || !Array.isArray(viewer.jurisdiction)) {
    throw new Error('internal token carries no viewer');
  }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const claims = { viewer, requestId: String(payload.rid ?? ''), purpose: text(payload.purpose), operation: text(payload.op), documentHash: text(payload.doc),
    established: Array.isArray(payload.est) ? payload.est.filter((k): k is string => typeof k === 'string') : [], breakGlass: text(payload.bg) };
  // Entries go in roughly in expiry order: drop expired ones from the front, and the oldest when full.
  for (const [t, e] of cache) {
    if (e.expiresAtMs > now && cache.size < MAX_VERIFIED) break;
    cache.delete(t);
  }
  cache.set(token, { claims, expiresAtMs: payload.exp! * 1000 });
  return claims;
}
