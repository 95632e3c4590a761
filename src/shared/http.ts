import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';

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
