import { DEV_GRID_CODE, DevIdentityError, devIdentities, devIdentityFor, devToken } from '../auth/devTokens';
import type { AuthKeys } from '../auth/keys';
import { AGENCIES, isAgency } from '../auth/viewer';
import { HttpError, sendJson } from '../shared/http';
import type { GatewayRoute } from './route';

/** Console tokens are short-lived: the page fetches a new one when it is about to run out. */
export const CONSOLE_TOKEN_TTL_SECONDS = 3600;

/**
 * Dev mode only: `GET /dev/token?agency=grid&jurisdiction=211402001001` returns a caller token
 * signed with the dev key, so the console can switch agencies without ever holding a key.
 * `GET /dev/identities` lists the ready-made officers the console offers. In production mode
 * there is no dev key, these routes do not exist, and both answer 404 like any unknown path.
 */
export function devTokenRoutes(keys: AuthKeys): Record<string, GatewayRoute> {
  const signingKey = keys.devCallerSigningKey;
  if (!signingKey) return {};
  return {
    '/dev/identities': async (req, res) => {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET', 'METHOD_NOT_ALLOWED', { allow: 'GET' });
      sendJson(res, 200, {
        identities: devIdentities(DEV_GRID_CODE).map(({ agency, name, description, jurisdiction }) => ({ agency, name, description, jurisdiction })),
      });
    },
    '/dev/token': async (req, res) => {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET', 'METHOD_NOT_ALLOWED', { allow: 'GET' });
      const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const agency = params.get('agency');
      if (!isAgency(agency)) throw new HttpError(400, `agency must be one of ${AGENCIES.join(', ')}`, 'BAD_REQUEST');
      const codes = params
        .get('jurisdiction')
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      let who;
      try {
        who = devIdentityFor(agency, DEV_GRID_CODE, { jurisdiction: codes });
      } catch (e) {
        if (e instanceof DevIdentityError) throw new HttpError(400, e.message, 'BAD_REQUEST');
        throw e;
      }
      const token = await devToken(signingKey, keys.callerIssuer, keys.callerAudience, who, `${CONSOLE_TOKEN_TTL_SECONDS}s`);
      sendJson(
        res,
        200,
        {
          token,
          expiresIn: CONSOLE_TOKEN_TTL_SECONDS,
          identity: { agency: who.agency, sub: who.sub, name: who.name, jurisdiction: who.jurisdiction, description: who.description },
        },
        { 'cache-control': 'no-store' },
      );
    },
  };
}
