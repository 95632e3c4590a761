import { buildSchema, getIntrospectionQuery, getOperationAST, parse, validate } from 'graphql';
import { loadConfig } from '../shared/config';
import { exceededLimit, measureOperation, type OperationMetrics } from './limits';

const schema = buildSchema(`
  directive @trace on QUERY
  type Query { person(id: ID!): Person  persons(first: Int, after: String): PersonConnection!  districts: [District!]!  node: Node }
  interface Node { id: ID! }
  type Person implements Node { id: ID! name: String cases: [Case!] friend: Person }
  type Case { caseNo: String! }
  type District { code: String! monthly(from: String!, to: String!): [Month!] stats(from: String): CaseStatistics }
  type Month { month: String! stats: CaseStatistics }
  type CaseStatistics { filed: Int closed: Int open: Int suppressed: [String!]! }
  type PersonConnection { edges: [PersonEdge!]! pageInfo: PageInfo! }
  type PersonEdge { node: Person! cursor: String! }
  type PageInfo { hasNextPage: Boolean! }
`);

const pages = { default: 20, max: 100 };

function measure(query: string, variables?: Record<string, unknown>): OperationMetrics {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return measureOperation(schema, document, getOperationAST(document)!, variables, pages, 10);
}

describe('measureOperation', () => {
  it('measures one parsed document again only when a variable it reads changes (page size, month range), not for others', () => {
    const document = parse(
      'query ($n: Int, $id: ID!, $f: String!, $t: String!) { persons(first: $n) { edges { node { name } } } person(id: $id) { name } districts { monthly(from: $f, to: $t) { month } } }',
    );
    const op = getOperationAST(document)!;
    const cost = (v: Record<string, unknown>) => measureOperation(schema, document, op, v, pages, 10).cost;
    const base = { n: 7, id: 'a', f: '2025-01-01', t: '2025-06-30' };
    const expected = (n: number, months: number) => 1 + n * 3 + 2 + 10 * (1 + months * 2);
    expect(cost(base)).toBe(expected(7, 6));
    expect(cost({ ...base, id: 'b' })).toBe(expected(7, 6));
    expect(cost({ ...base, n: 9 })).toBe(expected(9, 6));
    expect(cost({ ...base, t: '2025-12-31' })).toBe(expected(7, 12));
    expect(cost(base)).toBe(expected(7, 6));
  });

  it('weighs a month series by the months of its range, and 60 when the range is not known', () => {
    // districts 10 × (1 + monthly months × (1 + month))
    const series = (from: string, to: string) => measure(`{ districts { monthly(from: "${from}", to: "${to}") { month } } }`).cost;
    expect(series('2025-01-01', '2025-12-31')).toBe(10 * (1 + 12 * 2));
    expect(series('2021-01-01', '2025-12-31')).toBe(10 * (1 + 60 * 2));
    expect(series('2025-03-15', '2025-03-20')).toBe(10 * (1 + 1 * 2));
    // Longer or malformed ranges are refused by the subgraph; they weigh as the longest it runs.
    expect(series('2000-01-01', '2025-12-31')).toBe(10 * (1 + 60 * 2));
    expect(series('soon', 'later')).toBe(10 * (1 + 60 * 2));
    expect(measure('query ($f: String!, $t: String!) { districts { monthly(from: $f, to: $t) { month } } }', { f: '2025-01-01', t: '2025-06-30' }).cost).toBe(
      10 * (1 + 6 * 2),
    );
  });

  it('weighs a statistics object by all the cells it computes, whichever are selected', () => {
    // stats: 1 + 4 cells + filed 1
    expect(measure('{ districts { stats { filed } } }').cost).toBe(10 * (1 + (1 + 4 + 1)));
    expect(measure('{ districts { monthly(from: "2025-01-01", to: "2025-12-31") { stats { filed } } } }').cost).toBe(10 * (1 + 12 * (1 + (1 + 4 + 1))));
  });

  it('counts depth from 1 at the root, through fragments, not counting the fragments themselves', () => {
    expect(measure('{ person(id: 1) { name } }').depth).toBe(2);
    expect(measure('{ person(id: 1) { friend { ...F } } } fragment F on Person { friend { name } }').depth).toBe(4);
    expect(measure('{ person(id: 1) { ... on Person { friend { name } } } }').depth).toBe(3);
  });

  it('weighs a connection by its page size (literal, variable or default) and other lists by the list size', () => {
    // persons 1 × (1 + edges 50 × (1 + node (1 + name 1)))
    expect(measure('{ persons(first: 50) { edges { node { name } } } }').cost).toBe(1 + 50 * (1 + 2));
    expect(measure('query ($n: Int) { persons(first: $n) { edges { node { name } } } }', { n: 7 }).cost).toBe(1 + 7 * 3);
    expect(measure('{ persons { edges { node { name } } } }').cost).toBe(1 + 20 * 3);
    // A page over the maximum is refused by the subgraph with BAD_USER_INPUT; it weighs as the maximum.
    expect(measure('{ persons(first: 100000) { edges { node { name } } } }').cost).toBe(1 + 100 * 3);
    // Nested lists multiply: districts 10 × (1 + code).
    expect(measure('{ districts { code } }').cost).toBe(10 * 2);
    expect(measure('{ persons(first: 10) { edges { node { cases { caseNo } } } } }').cost).toBe(1 + 10 * (1 + (1 + 10 * 2)));
  });

  it('counts aliases and directives wherever they are, spreads of one fragment each time', () => {
    const m = measure(`query Q($x: Boolean = true) @trace {
      a: person(id: 1) { ...F @include(if: $x) ...F @include(if: $x) }
      b: person(id: 2) { n: name @skip(if: false) }
    } fragment F on Person { t: __typename }`);
    expect(m.aliases).toBe(2 + 2 + 1);
    expect(m.directives).toBe(1 + 2 + 1);
  });

  it('cannot be lowered by adding __typename or __schema: they only add', () => {
    const base = measure('{ persons(first: 50) { edges { node { friend { name } } } } }');
    for (const extra of ['__typename', '__schema { __typename }', 'a: __typename b: __typename']) {
      const withExtra = measure(`{ ${extra} persons(first: 50) { __typename edges { __typename node { __typename friend { __typename name } } } } }`);
      expect(withExtra.depth).toBeGreaterThanOrEqual(base.depth);
      expect(withExtra.cost).toBeGreaterThan(base.cost);
      expect(withExtra.aliases).toBeGreaterThanOrEqual(base.aliases);
    }
    expect(measure('{ __schema { __typename } person(id: 1) { name } }').introspection).toBe(true);
    expect(measure('{ __type(name: "Person") { name } }').introspection).toBe(true);
    expect(measure('{ __typename person(id: 1) { __typename } }').introspection).toBe(false);
  });

  it('measures each fragment once however often it is spread (no exponential walk)', () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, …: 2^20 expansions, measured in 21 steps.
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Person { friend { ...F${i + 1} ...F${i + 1} } }`).join('\n');
    const m = measure(`{ person(id: 1) { ...F0 } } ${fragments} fragment F20 on Person { name }`);
    expect(m.depth).toBe(22);
    expect(m.cost).toBeGreaterThan(2 ** 20);
  });

  it('tells the first limit exceeded', () => {
    const limits = { maxDepth: 3, maxAliases: 1, maxDirectives: 1, maxTokens: 100, maxCost: 50, listSize: 10 };
    expect(exceededLimit({ depth: 3, aliases: 1, directives: 1, cost: 50, introspection: false }, limits)).toBeNull();
    expect(exceededLimit({ depth: 4, aliases: 1, directives: 1, cost: 50, introspection: false }, limits)).toBe('depth');
    expect(exceededLimit({ depth: 3, aliases: 2, directives: 1, cost: 50, introspection: false }, limits)).toBe('aliases');
    expect(exceededLimit({ depth: 3, aliases: 1, directives: 2, cost: 50, introspection: false }, limits)).toBe('directives');
    expect(exceededLimit({ depth: 3, aliases: 1, directives: 1, cost: 51, introspection: false }, limits)).toBe('cost');
  });

  it('lets the standard introspection query (what admin tools send) through the default limits', () => {
    const m = measure(getIntrospectionQuery());
    expect(m.introspection).toBe(true);
    expect(exceededLimit(m, loadConfig({}).security.limits)).toBeNull();
  });
});
