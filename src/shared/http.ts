import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { logger } from './logger';
import { countHttpRequest, graphqlErrors } from './metrics';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
    /** More `extensions` for the caller beside the code, e.g. `retryAfter`. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Reads a request body up to `limit` bytes; larger bodies are refused before they are buffered. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'request body too large', 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'request body too large', 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A GraphQL-shaped error response for failures before execution (auth, body size, limits). */
export function sendGraphQLError(res: ServerResponse, err: HttpError, extra: Record<string, unknown> = {}): void {
  sendJson(res, err.status, { errors: [{ message: err.message, extensions: { code: err.code, ...err.extensions, ...extra } }] }, err.headers);
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A JSON request body parsed (400 when it is not JSON); any other body as it came. */
export function parseJsonBody(req: IncomingMessage, rawBody: string): unknown {
  if (!(headerValue(req, 'content-type') ?? '').includes('application/json') || !rawBody) return rawBody;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'BAD_REQUEST');
  }
}

/**
 * Runs one HTTP request through Apollo Server (the part an integration package would do).
 * `prepare` may rewrite or refuse (by throwing HttpError) the parsed request before Apollo sees it.
 */
export async function executeApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string | { parsed: unknown },
  context: () => Promise<C>,
  prepare: (request: HTTPGraphQLRequest) => HTTPGraphQLRequest = (request) => request,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  const body = typeof rawBody === 'string' ? parseJsonBody(req, rawBody) : rawBody.parsed;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: prepare({ method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body }),
    context,
  });
  const out: Record<string, string> = {};
  for (const [k, v] of result.headers) out[k] = v;
  res.statusCode = result.status ?? 200;
  for (const [k, v] of Object.entries(out)) res.setHeader(k, v);
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A server's HTTP routes by path, each given the request's context `C` (e.g. its id and deadline). */
export type Routes<C> = Record<string, (req: IncomingMessage, res: ServerResponse, ctx: C) => Promise<void>>;

export interface RouterOptions<C> {
  /** The metrics label and the subject of the failure log line (`gateway`, `police`, …). */
  service: string;
  routes: Routes<C>;
  /** Per request, before anything else: its context (and any headers every response carries). */
  begin(req: IncomingMessage, res: ServerResponse): C;
  /** Runs before the route; may throw an `HttpError`, or answer itself and return true (CORS preflight). */
  guard?(req: IncomingMessage, res: ServerResponse): boolean;
  /** What a failed request logs and tells the caller besides its code (the request id at the gateway). */
  failure(ctx: C): { log: Record<string, unknown>; message: string; extensions: Record<string, unknown> };
}

/**
 * The request handler of the gateway's and the subgraphs' HTTP servers: counts the request by
 * route, runs the guard and the route, answers an unknown path 404, an `HttpError` as a GraphQL
 * error with its status and code, and anything else as a logged 500 that says nothing internal.
 */
export function routeRequests<C>(opts: RouterOptions<C>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const ctx = opts.begin(req, res);
    const path = (req.url ?? '/').split('?')[0];
    const route = Object.hasOwn(opts.routes, path) ? opts.routes[path] : undefined;
    countHttpRequest(opts.service, route ? path : 'unknown', res);
    void (async () => {
      if (opts.guard?.(req, res)) return;
      if (!route) {
        sendJson(res, 404, { error: 'not found' });
        return;
      }
      await route(req, res, ctx);
    })().catch((err: unknown) => {
      const { log, message, extensions } = opts.failure(ctx);
      if (err instanceof HttpError) {
        graphqlErrors.inc({ service: opts.service, code: err.code });
        sendGraphQLError(res, err, extensions);
        return;
      }
      logger.error({ err, ...log }, `${opts.service === 'gateway' ? 'gateway' : 'subgraph'} request failed`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR', ...extensions } }] });
    });
  };
}
