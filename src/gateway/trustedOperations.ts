import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HTTPGraphQLRequest } from '@apollo/server';
import { ConfigError, ErrorCode } from '../shared/errors';
import { HttpError } from '../shared/http';

/** The hash clients send for a registered operation: SHA-256 of the exact document text, hex (as in APQ). */
export function operationHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/**
 * The manifest file format `hub manifest` writes: every registered document by its hash. Apollo's
 * persisted-query manifest (`{ format: "apollo-persisted-query-manifest", operations: [{ id, body }] }`)
 * is read too, so a front end's build can hand over what its tooling produced.
 */
export type TrustedManifest = Record<string, string>;

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  // Read from a file: entries are checked where they are used, not trusted to have this shape.
  operations: Array<{ id?: unknown; body?: unknown } | null>;
}

function manifestEntries(data: unknown): Array<[string, unknown]> {
  if (data && typeof data === 'object' && (data as ApolloManifest).format === 'apollo-persisted-query-manifest') {
    const operations = (data as ApolloManifest).operations;
    if (!Array.isArray(operations)) return [];
    return operations.map((o) => [String(o?.id), o?.body]);
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) return Object.entries(data);
  throw new Error('expected a JSON object of hash → document');
}

/** Reads and checks a manifest: every key must be the SHA-256 of its document, so a tampered entry stops the start. */
export function parseManifest(text: string, source: string): Map<string, string> {
  const problems: string[] = [];
  const documents = new Map<string, string>();
  try {
    for (const [hash, document] of manifestEntries(JSON.parse(text))) {
      if (typeof document !== 'string' || !document.trim()) problems.push(`${hash}: the document is empty or not a string`);
      else if (operationHash(document) !== hash) problems.push(`${hash}: is not the SHA-256 of its document`);
      else documents.set(hash, document);
    }
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (!documents.size && !problems.length) problems.push('registers no operation');
  if (problems.length) throw new ConfigError(problems.map((p) => `TRUSTED_OPERATIONS_FILE ${source}: ${p}`));
  return documents;
}

function notTrusted(message: string): HttpError {
  return new HttpError(400, message, ErrorCode.OperationNotTrusted);
}

interface OperationParams {
  query: unknown;
  extensions: Record<string, unknown> | undefined;
}

function paramsOf(request: HTTPGraphQLRequest): OperationParams | null {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    const raw = search.get('extensions');
    let extensions: unknown;
    try {
      extensions = raw ? JSON.parse(raw) : undefined;
    } catch {
      throw notTrusted('the `extensions` parameter is not valid JSON');
    }
    return { query: search.get('query') ?? undefined, extensions: extensions as Record<string, unknown> | undefined };
  }
  const body = request.body;
  // Anything else (a batch array, a non-JSON body) Apollo refuses without running an operation.
  if (request.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, extensions } = body as Record<string, unknown>;
  return { query, extensions: extensions as Record<string, unknown> | undefined };
}

function withDocument(request: HTTPGraphQLRequest, document: string, extensions: Record<string, unknown> | undefined): HTTPGraphQLRequest {
  const rest =
    extensions && typeof extensions === 'object' ? Object.fromEntries(Object.entries(extensions).filter(([k]) => k !== 'persistedQuery')) : undefined;
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    search.set('query', document);
    if (rest && Object.keys(rest).length) search.set('extensions', JSON.stringify(rest));
    else search.delete('extensions');
    return { ...request, search: `?${search.toString()}` };
  }
  const body: Record<string, unknown> = { ...(request.body as Record<string, unknown>), query: document };
  if (rest && Object.keys(rest).length) body.extensions = rest;
  else delete body.extensions;
  return { ...request, body };
}

/**
 * Trusted operations: only documents registered in the manifest run. A request names one by its
 * hash (`extensions.persistedQuery.sha256Hash`, the APQ shape, with or without the document) or
 * sends a document whose hash is registered; an unknown hash, an unregistered document, or a
 * registered hash sent with another document is refused before Apollo parses anything.
 */
export class TrustedOperations {
  private constructor(private readonly documents: Map<string, string>) {}

  static load(file: string): TrustedOperations {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError([`TRUSTED_OPERATIONS_FILE: cannot read ${file}: ${(e as Error).message}`]);
    }
    return new TrustedOperations(parseManifest(text, file));
  }

  get size(): number {
    return this.documents.size;
  }

  /** The request with its registered document in place; throws OPERATION_NOT_TRUSTED otherwise. */
  resolve(request: HTTPGraphQLRequest): HTTPGraphQLRequest {
    const params = paramsOf(request);
    if (!params) return request;
    const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
    if (persisted !== undefined) {
      const hash = persisted?.sha256Hash;
      const registered = typeof hash === 'string' ? this.documents.get(hash) : undefined;
      if (registered === undefined) throw notTrusted('this operation is not registered; only registered operations run here');
      if (params.query !== undefined && params.query !== null && params.query !== registered) {
        throw notTrusted('the document sent differs from the operation registered under this hash');
      }
      return withDocument(request, registered, params.extensions);
    }
    if (typeof params.query !== 'string') return request;
    if (!this.documents.has(operationHash(params.query))) throw notTrusted('this operation is not registered; only registered operations run here');
    return request;
  }
}
