import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { TOKEN_ALG } from './keys';
import type { Viewer } from './viewer';

/** The header that carries the internal token (who asks, signed by the gateway) to a subgraph. */
export const INTERNAL_TOKEN_HEADER = 'x-hub-internal-token';
/** The header that binds the internal token to one subgraph call (`bindCall`). */
export const INTERNAL_CALL_HEADER = 'x-hub-internal-call';

const ISSUER = 'pingan-hub-gateway';
const AUDIENCE = 'pingan-hub-subgraph';
/** Leeway for the clocks of the gateway and a subgraph host, on top of the request's deadline. */
const CLOCK_SKEW_SECONDS = 2;

/** What the gateway vouches for on each subgraph call of one caller request. */
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
  /**
   * A hub process acting on its own, not for a caller (e.g. `workflow-effects`, delivering a
   * handoff's effect to the department that owns the record). The gateway never sets it: only an
   * internal mutation that a department keeps for such a service checks it.
   */
  service?: string | null;
}

/**
 * Signs the request's internal token (ES256): the viewer and the request, valid until the
 * request's deadline. It is never accepted alone: every call also carries a `bindCall` header.
 */
export async function signInternalToken(key: CryptoKey, claims: InternalClaims, deadline: number): Promise<string> {
  return new SignJWT({
    viewer: claims.viewer,
    rid: claims.requestId,
    purpose: claims.purpose,
    op: claims.operation,
    doc: claims.documentHash,
    est: claims.established ?? [],
    bg: claims.breakGlass ?? null,
    svc: claims.service ?? null,
  })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.viewer.sub)
    .setIssuedAt()
    .setExpirationTime(Math.ceil(deadline / 1000) + CLOCK_SKEW_SECONDS)
    .sign(key);
}

/** Why an internal token or its call binding was refused; safe to tell the caller (names no secret). */
export class InternalTokenError extends Error {
  override name = 'InternalTokenError';
}

/**
 * Tokens that verified, by their exact text, per verification key, until they expire. One
 * request's plan calls several subgraphs with the same token (in embedded mode all of them in
 * one process), and each ES256 verification costs about 0.1 ms of CPU. A forged, altered or
 * expired token never matches an entry; the map holds at most a request budget of traffic.
 */
const verified = new WeakMap<CryptoKey, Map<string, { claims: InternalClaims; expiresAtMs: number }>>();
const MAX_VERIFIED = 10_000;

/** Throws InternalTokenError when the token is missing, forged, expired or not meant for subgraphs. */
export async function verifyInternalToken(key: CryptoKey, token: string): Promise<InternalClaims & { expiresAtMs: number }> {
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new Map<string, { claims: InternalClaims; expiresAtMs: number }>()));
  const now = Date.now();
  const hit = cache.get(token);
  if (hit && hit.expiresAtMs > now) return { ...hit.claims, expiresAtMs: hit.expiresAtMs };
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [TOKEN_ALG], requiredClaims: ['exp'] }));
  } catch (e) {
    throw new InternalTokenError(e instanceof errors.JWTExpired ? 'internal token expired' : 'invalid internal token');
  }
  const viewer = payload.viewer as Viewer | undefined;
  if (!viewer || typeof viewer.sub !== 'string' || typeof viewer.agency !== 'string' || !Array.isArray(viewer.jurisdiction) || !Array.isArray(viewer.roles)) {
    throw new InternalTokenError('internal token carries no viewer');
  }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const claims = {
    viewer,
    requestId: text(payload.rid) ?? '',
    purpose: text(payload.purpose),
    operation: text(payload.op),
    documentHash: text(payload.doc),
    established: Array.isArray(payload.est) ? payload.est.filter((k): k is string => typeof k === 'string') : [],
    breakGlass: text(payload.bg),
    service: text(payload.svc),
  };
  // Entries go in roughly in expiry order: drop expired ones from the front, and the oldest when full.
  for (const [t, e] of cache) {
    if (e.expiresAtMs > now && cache.size < MAX_VERIFIED) break;
    cache.delete(t);
  }
  const expiresAtMs = payload.exp! * 1000;
  cache.set(token, { claims, expiresAtMs });
  return { ...claims, expiresAtMs };
}

/**
 * SHA-256 of what one subgraph fetch asks: its operation name and document, exactly as the gateway
 * sends them. The subgraph recomputes it from the body it received.
 */
export function fetchHash(document: string, operationName: string | null | undefined): string {
  return createHash('sha256')
    .update(`${operationName ?? ''}\n${document}`)
    .digest('hex');
}

/** One subgraph call as the gateway makes it. */
export interface Call {
  subgraph: string;
  /** `fetchHash` of the document sent. */
  fetchHash: string;
  /** Epoch ms by which the answer must be back at the gateway. */
  deadline: number;
}

/** A verified call binding: the call, and the one-time id to remember until the deadline. */
export interface BoundCall extends Call {
  jti: string;
}

/**
 * The key that binds calls to one subgraph: derived (HMAC, own label) from the hub's secret, so
 * a binding for grid does not verify at police. An HMAC costs microseconds where a signature per
 * call would cost ~0.2 ms of CPU each (docs/security.md, "Internal tokens").
 */
const callKeys = new Map<string, Buffer>();
function callKey(secret: string, subgraph: string): Buffer {
  const id = `${subgraph}\u0000${secret}`;
  let key = callKeys.get(id);
  if (!key) callKeys.set(id, (key = createHmac('sha256', secret).update(`pingan-hub internal call\u0000${subgraph}`).digest()));
  return key;
}

function callMac(secret: string, token: string, call: BoundCall): string {
  // The token's signature names the token: a binding made for one request's token fits no other.
  const signature = token.slice(token.lastIndexOf('.') + 1);
  return createHmac('sha256', callKey(secret, call.subgraph)).update(`${signature}\n${call.fetchHash}\n${call.deadline}\n${call.jti}`).digest('base64url');
}

/** The `INTERNAL_CALL_HEADER` value for one fetch: subgraph, document hash, deadline, a fresh `jti`, and their MAC. */
export function bindCall(secret: string, token: string, call: Call): string {
  const bound = { ...call, jti: randomUUID() };
  return [bound.subgraph, bound.fetchHash, bound.deadline, bound.jti, callMac(secret, token, bound)].join('.');
}

/**
 * Checks that `header` binds `token` to this call: this subgraph, the document received (its
 * `fetchHash`), and a MAC only the hub's processes can make. Throws InternalTokenError naming what
 * does not match. Reuse of the `jti` and the deadline are the caller's to check.
 */
export function verifyCallBinding(secret: string, token: string, header: string | undefined, subgraph: string, receivedHash: string): BoundCall {
  const parts = header?.split('.') ?? [];
  if (parts.length !== 5) throw new InternalTokenError('internal token is not bound to a call');
  const [target, hash, deadline, jti, mac] = parts;
  if (target !== subgraph) throw new InternalTokenError('internal token is for another subgraph');
  if (hash !== receivedHash) throw new InternalTokenError('internal token was issued for another document');
  const call = { subgraph, fetchHash: hash, deadline: Number(deadline), jti };
  const expected = Buffer.from(callMac(secret, token, call));
  if (!/^\d+$/.test(deadline) || expected.length !== Buffer.byteLength(mac) || !timingSafeEqual(expected, Buffer.from(mac))) {
    throw new InternalTokenError('internal token binding is forged');
  }
  return call;
}
