import { getOperationAST, parse } from 'graphql';
import { apiSchema } from '../src/cli/manifest';
import { measureOperation } from '../src/gateway/limits';
import { loadConfig } from '../src/shared/config';
import { DEFAULT_PAGE_SIZE } from '../src/kit/pagination';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayOptions } from '../src/cli/runtime';
import { readSupergraph } from '../src/cli/compose';
import { startGateway } from '../src/gateway/server';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

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

/**
 * Sends `query` as admin through a gateway that gives operations costing over 50 a budget of
 * 100 ms, and whose grid calls are held 200 ms on the way (a slow network or a busy gateway).
 */
async function throughSlowGrid(query: string): Promise<GraphQLResponse> {
  const hub = t;
  const grid = hub.hub.subgraphs.grid.url;
  const slow = createServer(
    (req, res) =>
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const answer = await fetch(new URL(req.url ?? '/', grid), {
          method: req.method,
          headers,
          body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      })(),
  );
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const gateway = await startGateway({
    ...gatewayOptions(
      loadConfig({ HUB_DATA_DIR: hub.dataDir, HEAVY_QUERY_COST: '50', HEAVY_REQUEST_TIMEOUT_MS: '100', SUBGRAPH_HEALTH_INTERVAL_MS: '0' }),
      hub.hub.keys,
    ),
    port: 0,
    opsPort: 0,
    supergraphSdl: readSupergraph(),
    subgraphUrls: { ...hub.subgraphUrls, grid: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql` },
    subgraphOpsUrls: hub.subgraphOpsUrls,
  });
  try {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token('admin')}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
  } finally {
    await gateway.stop();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  }
}

const run = (query: string, variables?: Record<string, unknown>) => send(JSON.stringify({ query, variables }));

function expectRuns(sent: Sent): void {
  // Only the policy may add errors (FORBIDDEN_FIELD for fields the caller may not see).
  const unexpected = sent.body.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD') ?? [];
  expect({ status: sent.status, unexpected }).toEqual({ status: 200, unexpected: [] });
  expect(sent.subgraphCalls).toBeGreaterThan(0);
}

function expectRefused(sent: Sent, limit: string): void {
  expect({ status: sent.status, errors: sent.body.errors?.map((e) => e.extensions) }).toEqual({
    status: 400,
    errors: [{ code: 'OPERATION_LIMIT_EXCEEDED', limit }],
  });
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
    const cost = (n: number) =>
      measureOperation(schema, document, getOperationAST(document)!, { n }, { default: DEFAULT_PAGE_SIZE, max: config.maxPageSize }, limits.listSize).cost;
    let n = 1;
    while (cost(n + 1) <= limits.maxCost) n++;
    expect(n).toBeLessThan(config.maxPageSize);
    expectRuns(await run(query, { n }));
    expectRefused(await run(query, { n: n + 1 }), 'cost');
    expectRefused(await run(withTypenames(query), { n: n + 1 }), 'cost');
    // A page size in the document (not a variable) weighs the same.
    expectRefused(await run(query.replace('query People($n: Int)', 'query People').replace('first: $n', `first: ${n + 1}`)), 'cost');
  });

  it('cost matches work: 15 aliases × districts × monthly(60 months) of five departments is refused; one district over a year runs', async () => {
    // Once costed 33,300 (monthly weighed as 10 items), it returned 2.1 MB after 12.8 s in production.
    const months = (alias: string, from: string, parent = '') => `${alias}: districts${parent} { code monthly(from: "${from}", to: "2025-12-31") { month
      courtStatistics { suppressedFields } gridStatistics { suppressedFields } justiceStatistics { suppressedFields } policeStatistics { suppressedFields } procuratorateStatistics { suppressedFields } } }`;
    const heavy = `{ ${Array.from({ length: 15 }, (_, i) => months(`d${i}`, '2021-01-01')).join(' ')} }`;
    const refused = await run(heavy);
    expectRefused(refused, 'cost');
    // A year of one district's townships, all departments: what an analyst's dashboard asks.
    const year = await run(`{ ${months('year', '2025-01-01', '(parentCode: "211402")')} }`);
    expect(year.status).toBe(200);
    expect(year.body.errors).toBeUndefined();
  });

  it('a heavy operation (over HEAVY_QUERY_COST) gets HEAVY_REQUEST_TIMEOUT_MS: its department calls carry that deadline', async () => {
    // Through a gateway with a 100 ms budget for heavy operations, whose grid calls arrive 200 ms late.
    const light = await throughSlowGrid('{ district(code: "211402") { code name } }');
    expect(light.body.errors).toBeUndefined();
    const heavy = await throughSlowGrid('{ persons(first: 100) { edges { node { id name } } } }');
    expect(heavy.body.errors?.map((e) => e.extensions?.code)).toEqual(['DEADLINE_EXCEEDED']);
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
    expect({ status: over.status, code: over.body.errors?.[0].extensions?.code, calls: over.subgraphCalls }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      calls: 0,
    });
  });

  it('batching: a JSON array of operations is refused, even of one', async () => {
    const one = { query: '{ district(code: "211402") { code } }' };
    for (const batch of [[one], [one, one]]) {
      const sent = await send(JSON.stringify(batch));
      expect({ status: sent.status, code: sent.body.errors?.[0].extensions?.code, calls: sent.subgraphCalls }).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
        calls: 0,
      });
    }
  });
});
