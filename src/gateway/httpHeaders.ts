import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../shared/errors';
import { HttpError, headerValue } from '../shared/http';

/**
 * Headers on every gateway response. Responses carry personal data: nothing may cache them, frame
 * them or sniff them into something executable. A route serving a page (a console) sets its own
 * content-security-policy over this one.
 */
export function securityHeaders(production: boolean): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Only meaningful behind TLS, which production has (at the gateway or its proxy).
    ...(production ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

const ALLOWED_HEADERS = 'authorization, content-type, x-purpose, apollo-require-preflight, x-apollo-operation-name';

/**
 * CORS from an allow-list of browser origins. A request from a page of another origin that is not
 * listed is refused outright (403) rather than merely left unreadable, so a hostile page cannot
 * even trigger a mutation. Same-origin pages (a console served by the gateway) are always allowed.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): boolean {
  const origin = headerValue(req, 'origin');
  res.setHeader('vary', 'origin');
  if (origin !== undefined) {
    let sameOrigin = false;
    try {
      sameOrigin = new URL(origin).host === headerValue(req, 'host');
    } catch {
      // a malformed Origin is simply not allowed
    }
    if (!sameOrigin && !allowed.has(origin))
      throw new HttpError(403, `origin ${origin.slice(0, 100)} is not allowed to call this gateway`, ErrorCode.Forbidden);
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
  }
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    allow: 'GET, POST, OPTIONS',
    ...(origin !== undefined
      ? { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600' }
      : {}),
  });
  res.end();
  return true;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether the request's `Host` (its name, the port aside) is one the gateway answers to. A page on
 * another site can make the browser send requests to a loopback gateway under its own name (DNS
 * rebinding) and read the answers, `/dev/token` included; the name it must use gives it away.
 * `allowed` empty in production: no check (the load balancer routes by name).
 */
export function hostAllowed(req: IncomingMessage, allowed: readonly string[], dev: boolean): boolean {
  if (!dev && !allowed.length) return true;
  const host = (req.headers.host ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return (dev && LOOPBACK_NAMES.includes(name)) || allowed.includes(name);
}
