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
export interface InternalClaims extends TokenClaims {
  /** The caller request's id: carried by each call's binding (`bindCall`), not by the token, so that a token can serve several requests. */
  requestId: string;
}

/** What the internal token itself carries: who asks and why, the same for every request of that caller, purpose and operation. */
export interface TokenClaims {
  viewer: Viewer;
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
 * Signs an internal token (ES256): the viewer, the purpose and the operation, valid until
 * `deadline`. It is never accepted alone: every call also carries a `bindCall` header.
 */
export async function signInternalToken(key: CryptoKey, claims: TokenClaims, deadline: number): Promise<string> {
  return new SignJWT({
    viewer: claims.viewer,
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

/** How long a token the gateway signed serves later requests with the same claims (`reusableInternalToken`). */
const REUSE_MS = 60_000;
const MAX_REUSABLE = 10_000;
type Reusable = Map<string, { token: Promise<string>; validUntilMs: number }>;
const reusable = new WeakMap<CryptoKey, Reusable>();

/**
 * The gateway's internal token for `claims`, valid at least until `deadline`: the one signed for
 * an earlier request with the same claims while it lasts, else a new one valid for `REUSE_MS`
 * more. One ES256 signature and verification cost ~0.25 ms of CPU, 5 % of a person view; the
 * request id, deadline and one-time id are in each call's binding, which is never reused.
 */
export function reusableInternalToken(key: CryptoKey, claims: TokenClaims, deadline: number): Promise<string> {
  let cache = reusable.get(key);
  if (!cache) reusable.set(key, (cache = new Map() as Reusable));
  const id = JSON.stringify([
    claims.viewer,
    claims.purpose,
    claims.operation ?? null,
    claims.documentHash ?? null,
    claims.established ?? [],
    claims.breakGlass ?? null,
    claims.service ?? null,
  ]);
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.validUntilMs >= deadline) return hit.token;
  const validUntilMs = Math.max(deadline, now + REUSE_MS);
  const token = signInternalToken(key, claims, validUntilMs);
  // Entries go in roughly in expiry order: drop expired ones from the front, and the oldest when full.
  for (const [k, e] of cache) {
    if (e.validUntilMs > now && cache.size < MAX_REUSABLE) break;
    cache.delete(k);
  }
  cache.delete(id);
  cache.set(id, { token, validUntilMs });
  // A failed signature is not remembered.
  token.catch(() => cache.get(id)?.token === token && cache.delete(id));
  return token;
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
const verified = new WeakMap<CryptoKey, Map<string, { claims: TokenClaims; expiresAtMs: number }>>();
const MAX_VERIFIED = 10_000;

/** Throws InternalTokenError when the token is missing, forged, expired or not meant for subgraphs. */
export async function verifyInternalToken(key: CryptoKey, token: string): Promise<TokenClaims & { expiresAtMs: number }> {
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new Map<string, { claims: TokenClaims; expiresAtMs: number }>()));
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
  /** The caller request it serves (for the department's audit trail and logs): a UUID, or a hub service's own id. */
  requestId: string;
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
  return createHmac('sha256', callKey(secret, call.subgraph))
    .update(`${signature}\n${call.fetchHash}\n${call.deadline}\n${call.jti}\n${call.requestId}`)
    .digest('base64url');
}

/** What a request id may look like in a binding: a UUID or a service's id such as `effect-12` (no dot: the header's separator). */
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The `INTERNAL_CALL_HEADER` value for one fetch: subgraph, document hash, deadline, a fresh `jti`, the request id, and their MAC. */
export function bindCall(secret: string, token: string, call: Call): string {
  if (!REQUEST_ID.test(call.requestId)) throw new Error(`bindCall: request id ${JSON.stringify(call.requestId)} is not of the form ${REQUEST_ID}`);
  const bound = { ...call, jti: randomUUID() };
  return [bound.subgraph, bound.fetchHash, bound.deadline, bound.jti, bound.requestId, callMac(secret, token, bound)].join('.');
}

/**
 * Checks that `header` binds `token` to this call: this subgraph, the document received (its
 * `fetchHash`), and a MAC only the hub's processes can make. Throws InternalTokenError naming what
 * does not match. Reuse of the `jti` and the deadline are the caller's to check.
 */
export function verifyCallBinding(secret: string, token: string, header: string | undefined, subgraph: string, receivedHash: string): BoundCall {
  const parts = header?.split('.') ?? [];
  if (parts.length !== 6) throw new InternalTokenError('internal token is not bound to a call');
  const [target, hash, deadline, jti, requestId, mac] = parts;
  if (target !== subgraph) throw new InternalTokenError('internal token is for another subgraph');
  if (hash !== receivedHash) throw new InternalTokenError('internal token was issued for another document');
  const call = { subgraph, fetchHash: hash, deadline: Number(deadline), jti, requestId };
  const expected = Buffer.from(callMac(secret, token, call));
  if (!/^\d+$/.test(deadline) || !REQUEST_ID.test(requestId) || expected.length !== Buffer.byteLength(mac) || !timingSafeEqual(expected, Buffer.from(mac))) {
    throw new InternalTokenError('internal token binding is forged');
  }
  return call;
}
