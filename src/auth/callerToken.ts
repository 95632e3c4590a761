import { errors, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { isValidIdNumber } from '../shared/idNumber';
import { isAgency, type Agency, type Viewer } from './viewer';
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

const CODE_SEGMENT = /^\d{6}(\d{3}(\d{3})?)?$/;

function stringArray(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new CallerAuthError(`claim "${claim}" must be an array of strings`);
  return value;
}

/** Verifies a caller JWT (signature, issuer, audience, expiry, claims) and returns the viewer. */
export async function verifyCallerToken(token: string, settings: CallerTokenSettings): Promise<Viewer> {
  let payload: Record<string, unknown>;
  try {
    const verified = typeof settings.key === 'function'
      ? await jwtVerify(token, settings.key, { issuer: settings.issuer, audience: settings.audience, algorithms: [TOKEN_ALG, 'RS256', 'EdDSA'], requiredClaims: ['exp', 'sub'] })
      : await jwtVerify(token, settings.key, { issuer: settings.issuer, audience: settings.audience, algorithms: [TOKEN_ALG, 'RS256', 'EdDSA'], requiredClaims: ['exp', 'sub'] });
    payload = verified.payload as Record<string, unknown>;
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new CallerAuthError('token expired');
    if (e instanceof errors.JWSSignatureVerificationFailed) throw new CallerAuthError('token signature is invalid');
    if (e instanceof errors.JWTClaimValidationFailed) throw new CallerAuthError(`token claim "${e.claim}" is invalid: ${e.reason}`);
    if (e instanceof errors.JOSEAlgNotAllowed) throw new CallerAuthError('token algorithm is not allowed');
    if (e instanceof errors.JOSEError) throw new CallerAuthError(`token is malformed or cannot be verified (${e.code})`);
    throw e;
  }
  if (!isAgency(payload.agency)) throw new CallerAuthError(`unknown agency ${JSON.stringify(payload.agency)}`);
  const jurisdiction = stringArray(payload.jurisdiction, 'jurisdiction');
  const bad = jurisdiction.find((j) => !CODE_SEGMENT.test(j));
  if (bad) throw new CallerAuthError(`jurisdiction code ${JSON.stringify(bad)} is not a 6-, 9- or 12-digit division or grid code`);
  const viewer: Viewer = {
    sub: String(payload.sub),
    name: typeof payload.name === 'string' ? payload.name : String(payload.sub),
    agency: payload.agency,
    roles: stringArray(payload.roles, 'roles'),
    jurisdiction,
  };
  // A citizen is who their ID number says; the claim is checked like any ID number.
  if (payload.agency === 'citizen') {
    if (typeof payload.idNumber !== 'string' || !isValidIdNumber(payload.idNumber)) throw new CallerAuthError('claim "idNumber" of a citizen token must be a valid ID number');
    viewer.idNumber = payload.idNumber.toUpperCase();
  }
  return viewer;
}

export interface DevTokenRequest {
  sub: string;
  name: string;
  agency: Agency;
  roles?: string[];
  jurisdiction?: string[];
  /** A citizen's ID number (agency `citizen` only). */
  idNumber?: string;
  /** Lifetime such as `8h`, `30m`, `3600s`. */
  ttl?: string;
}

/** Signs a caller token with the dev key (embedded mode, tests, `npm run token`). */
export async function signCallerToken(key: CryptoKey, issuer: string, audience: string, req: DevTokenRequest): Promise<string> {
  return new SignJWT({ name: req.name, agency: req.agency, roles: req.roles ?? [], jurisdiction: req.jurisdiction ?? [], ...(req.idNumber ? { idNumber: req.idNumber } : {}) })
    .setProtectedHeader({ alg: TOKEN_ALG })
    .setSubject(req.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(req.ttl ?? '8h')
    .sign(key);
}
