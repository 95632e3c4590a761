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
}

export async function signInternalToken(key: CryptoKey, claims: InternalClaims): Promise<string> {
  return new SignJWT({ viewer: claims.viewer, rid: claims.requestId, purpose: claims.purpose, op: claims.operation, doc: claims.documentHash })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.viewer.sub)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key);
}

/** Throws when the token is missing, forged, expired or not meant for subgraphs. */
export async function verifyInternalToken(key: CryptoKey, token: string): Promise<InternalClaims> {
  const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [TOKEN_ALG], requiredClaims: ['exp'] });
  const viewer = payload.viewer as Viewer | undefined;
  if (!viewer || typeof viewer.sub !== 'string' || typeof viewer.agency !== 'string' || !Array.isArray(viewer.jurisdiction)) {
    throw new Error('internal token carries no viewer');
  }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { viewer, requestId: String(payload.rid ?? ''), purpose: text(payload.purpose), operation: text(payload.op), documentHash: text(payload.doc) };
}
