import { getOperationAST, parse } from 'graphql';
import { apiSchema } from '../src/cli/manifest';
import { measureOperation } from '../src/gateway/limits';
import { loadConfig } from '../src/shared/config';
import { pageSize } from '../src/kit/pagination';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Every operation limit at its documented default: just under (at the limit) runs, just over is
 * refused with OPERATION_LIMIT_EXCEEDED before any subgraph sees it, and extra `__typename` or
 * `__schema { __typename }` selections do not get an over-limit operation through.
 */
let t: TestHub;
let token: string;
beforeAll(async () => {
  t = await startTestHub({ INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' });
  // admin may introspect, so `__schema` reaches the limits instead of the introspection refusal.
  token = await t.token('admin');
});
afterAll(async () => {
  await t?.stop();
});

const config = loadConfig({});
const defaults = config.security;
const limits = defaults.limits;
const schema = apiSchema();

interface Sent {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  subgraphCalls: number;
}

async function send(body: string, headers: Record<string, string> = {}): Promise<Sent> {
  const before = t.subgraphRequests();
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });
  return { status: res.status, body: (await res.json()) as Sent['body'], subgraphCalls: t.subgraphRequests() - before };
}

const run = (query: string, variables?: Record<string, unknown>) => send(JSON.stringify({ query, variables }));

function expectRuns(sent: Sent): void {
  // Only the policy may add errors (FORBIDDEN_FIELD for fields the caller may not see).
  const unexpected = sent.body.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD') ?? [];
  expect({ status: sent.status, unexpected }).toEqual({ status: 200, unexpected: [] });
  expect(sent.subgraphCalls).toBeGreaterThan(0);
}

function expectRefused(sent: Sent, limit: string): void {
  expect({ status: sent.status, errors: sent.body.errors?.map((e) => e.extensions) }).toEqual({ status: 400, errors: [{ code: 'OPERATION_LIMIT_EXCEEDED', limit }] });
  expect(sent.body.data).toBeUndefined();
  expect(sent.subgraphCalls).toBe(0);
  // The message names the limit, never its value.
  for (const value of Object.values(limits)) expect(sent.body.errors![0].message).not.toContain(String(value));
}

/** The same operation with `__typename` at every level and `__schema { __typename }` at the root. */
function withTypenames(query: string): string {
  return query.replace(/\{/g, '{ __typename ').replace(/^(query[^{]*)?\{/, (open) => `${open} __schema { __typename } `);
}

/** `district(code)` then `parent` hops: one grid subgraph fetch, depth 1 + hops + 1. */
const districtChain = (depth: number) => `{ district(code: "211402") { ${'parent { '.repeat(depth - 2)}code${' }'.repeat(depth - 2)} } }`;

describe('operation limits at their defaults', () => {
  it('depth', async () => {
    expectRuns(await run(districtChain(limits.maxDepth)));
    const over = districtChain(limits.maxDepth + 1);
    expectRefused(await run(over), 'depth');
    expectRefused(await run(withTypenames(over)), 'depth');
  });

  it('aliases', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `d${i}: district(code: "211402") { code }`).join(' ')} }`;
    expectRuns(await run(aliased(limits.maxAliases)));
    expectRefused(await run(aliased(limits.maxAliases + 1)), 'aliases');
    expectRefused(await run(withTypenames(aliased(limits.maxAliases + 1))), 'aliases');
    // Aliasing __typename is no way around it either.
    const typenames = `{ district(code: "211402") { code } ${Array.from({ length: limits.maxAliases + 1 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expectRefused(await run(typenames), 'aliases');
  });

  it('directives', async () => {
    const directed = (n: number) => `{ district(code: "211402") { ${'code @include(if: true) '.repeat(n)} } }`;
    expectRuns(await run(directed(limits.maxDirectives)));
    expectRefused(await run(directed(limits.maxDirectives + 1)), 'directives');
    // Repeated spreads of one fragment count each time (graphql-armor 2.3 counted them once).
    const spreads = (n: number) => `{ district(code: "211402") { ${'...D @include(if: true) '.repeat(n)} } } fragment D on District { code }`;
    expectRuns(await run(spreads(limits.maxDirectives)));
    expectRefused(await run(spreads(limits.maxDirectives + 1)), 'directives');
    expectRefused(await run(withTypenames(directed(limits.maxDirectives + 1))), 'directives');
  });

  it('tokens', async () => {
    // `{ district ( code : "211402" ) { code` 9 tokens, `... F` 2 each, `} }` 2, `fragment F on District { code }` 7.
    // Spreads of one fragment, not repeated fields: graphql-js gives up validating a thousand copies of one field.
    const tokens = (n: number) => {
      const spreads = Math.floor((n - 18) / 2);
      return `{ district(code: "211402") { code ${(n - 18) % 2 ? 'name ' : ''}${'...F '.repeat(spreads)}} } fragment F on District { code }`;
    };
    expectRuns(await run(tokens(limits.maxTokens)));
    expectRefused(await run(tokens(limits.maxTokens + 1)), 'tokens');
    expectRefused(await run(`# ${'a comment is not a token '.repeat(100)}\n${tokens(limits.maxTokens + 1)}`), 'tokens');
  });

  it('cost: the page size that tips an operation over the limit is refused, one row less runs', async () => {
    // Each person row weighs over 1,500 (nested lists), so the tipping page size is below the maximum page.
    const query = `query People($n: Int) { persons(first: $n) { edges { node { id
      a: courtCases { caseNo parties { role person { id } } }
      b: courtCases { caseNo parties { role person { id } } }
      c: courtCases { caseNo parties { role person { id } } }
      d: courtCases { caseNo parties { role person { id } } } } } } }`;
    const document = parse(query);
    const cost = (n: number) => measureOperation(schema, document, getOperationAST(document)!, { n }, { default: pageSize.default, max: config.maxPageSize }, limits.listSize).cost;
    let n = 1;
    while (cost(n + 1) <= limits.maxCost) n++;
    expect(n).toBeLessThan(config.maxPageSize);
    expectRuns(await run(query, { n }));
    expectRefused(await run(query, { n: n + 1 }), 'cost');
    expectRefused(await run(withTypenames(query), { n: n + 1 }), 'cost');
    // A page size in the document (not a variable) weighs the same.
    expectRefused(await run(query.replace('query People($n: Int)', 'query People').replace('first: $n', `first: ${n + 1}`)), 'cost');
  });

  it('request body size: PAYLOAD_TOO_LARGE past MAX_BODY_BYTES', async () => {
    const padded = (bytes: number) => {
      const body = JSON.stringify({ query: '{ district(code: "211402") { code } }' });
      // Whitespace inside the document: bytes, but neither tokens nor fields.
      return body.replace('} }"', `} }${' '.repeat(bytes - body.length)}"`);
    };
    expect(Buffer.byteLength(padded(defaults.maxBodyBytes))).toBe(defaults.maxBodyBytes);
    expectRuns(await send(padded(defaults.maxBodyBytes)));
    const over = await send(padded(defaults.maxBodyBytes + 1));
    expect({ status: over.status, code: over.body.errors?.[0].extensions?.code, calls: over.subgraphCalls }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', calls: 0 });
  });

  it('batching: a JSON array of operations is refused, even of one', async () => {
    const one = { query: '{ district(code: "211402") { code } }' };
    for (const batch of [[one], [one, one]]) {
      const sent = await send(JSON.stringify(batch));
      expect({ status: sent.status, code: sent.body.errors?.[0].extensions?.code, calls: sent.subgraphCalls }).toEqual({ status: 400, code: 'BAD_REQUEST', calls: 0 });
    }
  });
});
