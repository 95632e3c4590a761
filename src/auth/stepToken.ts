import { createHash, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { InternalTokenError } from './internalToken';
import { TOKEN_ALG } from './keys';

/*
 * Tokens of a hub service calling one internal step of one department (`POST /internal/<step>` on
 * the department's public port), e.g. the statistics refresh coordinating 民转刑. Signed with the
 * internal key (only the hub's own processes hold it) but for another audience than the gateway's
 * internal tokens: a step token is refused by `/graphql`, a gateway's token by every step. Each
 * token names one department and one step, carries the SHA-256 of the body it was made for, and
 * holds for a minute and one use (the department remembers its `jti`).
 */

/** The header that carries a step token. */
export const STEP_TOKEN_HEADER = 'x-hub-step-token';

const ISSUER = 'pingan-hub-service';
/** Long enough for a body of megabytes to travel; a token is used at once. */
const LIFETIME_SECONDS = 60;

const audienceOf = (department: string, step: string) => `pingan-hub-step:${department}/${step}`;

/** SHA-256 of a step's body, as signed into its token. */
export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** A token for `service` to call `step` of `department` once with `body`. */
export async function signStepToken(key: CryptoKey, call: { service: string; department: string; step: string; body: string }): Promise<string> {
  return new SignJWT({ bh: bodyHash(call.body) })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(call.department, call.step))
    .setSubject(`service:${call.service}`)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key);
}

/** What a verified step token says: which service calls, and its one-time id with its expiry. */
export interface StepCaller {
  service: string;
  jti: string;
  expiresAtMs: number;
}

/**
 * Checks a step token for this department, this step and the body received; throws
 * InternalTokenError naming what is wrong (safe to tell the caller). Reuse of the `jti` is the
 * department's to check.
 */
export async function verifyStepToken(key: CryptoKey, token: string | undefined, department: string, step: string, body: string): Promise<StepCaller> {
  if (!token) throw new InternalTokenError('missing step token: internal steps are called only by hub services');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: audienceOf(department, step),
      algorithms: [TOKEN_ALG],
      requiredClaims: ['exp', 'jti', 'sub'],
      maxTokenAge: `${LIFETIME_SECONDS + 5}s`,
    }));
  } catch (e) {
    throw new InternalTokenError(e instanceof errors.JWTExpired ? 'step token expired' : 'invalid step token (wrong key, issuer, department or step)');
  }
  if (payload.bh !== bodyHash(body)) throw new InternalTokenError('step token was issued for another body');
  const service = payload.sub!.startsWith('service:') ? payload.sub!.slice('service:'.length) : '';
  if (!service) throw new InternalTokenError('step token names no service');
  return { service, jti: payload.jti!, expiresAtMs: payload.exp! * 1000 };
}
