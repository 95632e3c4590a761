import { isDeepStrictEqual } from 'node:util';
import type { BenchChild } from './children';
import { postJson } from './hubScenarios';
import type { BenchRequest } from './load';

/** Checks made before anything is timed, and the exact statement counts (one request at a time). */

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }>;
}

/** Objects in a response's data: the "rows" a request returned, whatever department they came from. */
export function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countObjects(v), 0);
  if (value && typeof value === 'object') return 1 + Object.values(value).reduce((n: number, v) => n + countObjects(v), 0);
  return 0;
}

export interface SqlProfile {
  requests: number;
  /** SQL statements per request: mean, min, max. */
  mean: number;
  min: number;
  max: number;
  /** Mean statements per request by counter (department). */
  byCounter: Record<string, number>;
  /** Objects returned per request. */
  rows: { mean: number; min: number; max: number };
  /** Rows the audit trail gained per request (the audit writer's statements are not in the SQL counters). */
  auditRowsPerRequest?: number;
  /** Responses with GraphQL errors (there should be none). */
  errors: number;
  firstError?: string;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Sends the requests one after another and reads the server's SQL counters between them, so each
 * request's statements are exact (nothing else runs meanwhile).
 */
export async function sqlProfile(server: BenchChild, url: string, requests: BenchRequest[]): Promise<SqlProfile> {
  let before = (await server.stats()).sqlStatements;
  const perRequest: number[] = [];
  const rows: number[] = [];
  const byCounter: Record<string, number> = {};
  let errors = 0;
  let firstError: string | undefined;
  for (const request of requests) {
    const body = await postJson<GraphQLBody>(url, request);
    const after = (await server.stats()).sqlStatements;
    perRequest.push(total(after) - total(before));
    for (const [k, v] of Object.entries(after)) byCounter[k] = (byCounter[k] ?? 0) + v - (before[k] ?? 0);
    before = after;
    rows.push(countObjects(body.data));
    if (body.errors?.length) {
      errors++;
      firstError ??= `${body.errors[0].message} (${body.errors[0].extensions?.code ?? 'no code'}) at ${JSON.stringify(body.errors[0].path ?? [])}`;
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    requests: requests.length,
    mean: mean(perRequest),
    min: Math.min(...perRequest),
    max: Math.max(...perRequest),
    byCounter: Object.fromEntries(Object.entries(byCounter).map(([k, v]) => [k, v / requests.length])),
    rows: { mean: mean(rows), min: Math.min(...rows), max: Math.max(...rows) },
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

/** The first difference between two JSON values, as a path and the two values there. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200);
  return `${path}: ${show(a)} vs ${show(b)}`;
}

/**
 * The floor must fetch exactly what the hub returns: pairwise, the floor's answer deep-equals the
 * hub's (policy off, since the floor applies none). Throws on the first mismatch.
 */
export async function checkSameAnswers(
  what: string,
  hubUrl: string,
  hubRequests: BenchRequest[],
  floorUrl: string,
  floorRequests: BenchRequest[],
): Promise<number> {
  for (let i = 0; i < hubRequests.length; i++) {
    const [hub, floor] = await Promise.all([postJson<GraphQLBody>(hubUrl, hubRequests[i]), postJson<GraphQLBody>(floorUrl, floorRequests[i])]);
    if (hub.errors?.length) throw new Error(`${what}: the hub answered with errors: ${JSON.stringify(hub.errors).slice(0, 500)}`);
    const diff = firstDifference(hub.data, floor.data);
    if (diff) throw new Error(`${what}: the floor's answer differs from the hub's for ${floorRequests[i].body}: ${diff}`);
  }
  return hubRequests.length;
}

/** A gateway of the A/B must return the benchmark's expected response exactly before it is timed. */
export async function checkExpectedResponse(name: string, url: string, request: BenchRequest, expected: unknown): Promise<void> {
  const body = await postJson<GraphQLBody>(url, request);
  const diff = firstDifference(body, expected);
  if (diff) throw new Error(`${name} does not return the benchmark's expected response: ${diff}`);
}
