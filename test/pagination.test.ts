import type { Agency } from '../src/auth/viewer';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Connection {
  edges: Array<{ cursor: string }>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** Every list of the graph (the audit log grows with our own queries, so it is left out), with the arguments it needs. */
const LISTS: Array<{ field: string; args: string; who: Agency }> = [
  { field: 'persons', args: 'filter: { divisionCode: "211402" }', who: 'admin' },
  { field: 'grids', args: 'divisionCode: "211402"', who: 'admin' },
  { field: 'gridEvents', args: '', who: 'admin' },
  { field: 'volunteers', args: 'districtCode: "211402"', who: 'admin' },
  { field: 'mediationPoints', args: 'divisionCode: "211402"', who: 'admin' },
  { field: 'mediationCases', args: '', who: 'admin' },
  { field: 'communityCorrections', args: '', who: 'admin' },
  { field: 'legalAidCases', args: '', who: 'admin' },
  { field: 'incidents', args: '', who: 'admin' },
  { field: 'policeCases', args: '', who: 'admin' },
  { field: 'auxiliaryOfficers', args: 'divisionCode: "211402"', who: 'admin' },
  { field: 'courtCases', args: '', who: 'admin' },
  { field: 'prosecutionCases', args: '', who: 'admin' },
];

/** Walks a whole list `first` rows at a time; returns every page. */
async function walk(field: string, args: string, who: Agency, first: number): Promise<Connection[]> {
  const pages: Connection[] = [];
  let after: string | null = null;
  do {
    const res: GraphQLResponse<Record<string, Connection>> = await t.query<Record<string, Connection>>(
      who,
      `query ($first: Int, $after: String) {
      ${field}(first: $first, after: $after${args ? `, ${args}` : ''}) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`,
      { first, after },
    );
    expect(res.body.errors).toBeUndefined();
    const page: Connection = res.body.data![field];
    pages.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && pages.length < 200);
  return pages;
}

describe('connections for front ends (Relay PageInfo and totalCount)', () => {
  it.each(LISTS)('$field: totalCount equals the rows of all pages, and PageInfo marks where each page starts and ends', async ({ field, args, who }) => {
    const pages = await walk(field, args, who, 7);
    const rows = pages.flatMap((p) => p.edges).length;
    expect(rows).toBeGreaterThan(0);
    for (const [i, page] of pages.entries()) {
      expect({ field, page: i, totalCount: page.totalCount }).toEqual({ field, page: i, totalCount: rows });
      expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    }
  });

  it("counts only what the caller may see: a grid worker's persons are the people of their own grid", async () => {
    const [page] = await walk('persons', '', 'grid', 100);
    const grid = t.city.grids[0].code;
    expect(page.totalCount).toBe(t.city.persons.filter((p) => p.gridCode === grid).length);
    expect(page.totalCount).toBe(page.edges.length);
  });

  it('counts only when asked: totalCount is one more SQL statement, and none without it', async () => {
    const statements = async (selection: string) => {
      const before = t.sqlStatements();
      const res = await t.query('admin', `{ policeCases(first: 5) { ${selection} } }`);
      expect(res.body.errors).toBeUndefined();
      return t.sqlStatements() - before;
    };
    const plain = await statements('edges { cursor }');
    expect(await statements('edges { cursor } totalCount')).toBe(plain + 1);
  });
});
