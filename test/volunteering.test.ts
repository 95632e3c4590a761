import { AGENCIES } from '../src/auth/viewer';
import { loadPolicy } from '../src/policy/policy';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/* Volunteer service (志愿服务, issue #22): the groups' projects and activities through the gateway. */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const PROJECTS = `query ($d: String!, $first: Int, $after: String) {
  volunteerProjects(districtCode: $d, first: $first, after: $after) {
    edges { node { id name groupName theme districtCode startedOn activityCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ACTIVITIES = `query ($d: String!, $p: ID, $first: Int, $after: String) {
  volunteerActivities(districtCode: $d, projectId: $p, first: $first, after: $after) {
    edges { node { id heldOn districtCode townshipCode volunteers serviceHours summary project { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Page<T> = { edges: Array<{ node: T }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('volunteer service projects and activities', () => {
  it("lists a district's projects with their activity counts, as the registry holds them", async () => {
    const rows = await sql(
      t,
      `select p.id, p.name, p.group_name as "groupName", p.theme, p.district_code as "districtCode", to_char(p.started_on, 'YYYY-MM-DD') as "startedOn",
         (select count(*)::int from grid.volunteer_activity a where a.project_id = p.id) as "activityCount"
       from grid.volunteer_project p where p.district_code = '211402' order by p.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const res = await t.query<{ volunteerProjects: Page<Record<string, unknown>> }>('grid', PROJECTS, { d: '211402', first: 100 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.volunteerProjects.edges.map((e) => e.node)).toEqual(rows);
    // The demo holds at least one activity a month for each project over the whole period.
    for (const r of rows) expect(r.activityCount).toBeGreaterThanOrEqual(23);
  });

  it("pages a project's activities newest first, and every district's projects are open to the agencies that work with volunteers", async () => {
    const [project] = await sql<{ id: string; district: string }>(
      t,
      `select id, district_code as district from grid.volunteer_project where district_code <> '211402' order by id limit 1`,
    );
    const rows = await sql<{ id: string }>(t, `select id from grid.volunteer_activity where project_id = $1 order by held_on desc, id desc`, [project.id]);
    const seen: string[] = [];
    let after: string | null = null;
    // A justice officer of 连山区 (the dev identity's district) reads another district's project.
    for (;;) {
      const res: Awaited<ReturnType<typeof t.query<{ volunteerActivities: Page<{ id: string; project: { id: string } }> }>>> = await t.query(
        'justice',
        ACTIVITIES,
        { d: project.district, p: project.id, first: 7, after },
      );
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data!.volunteerActivities;
      seen.push(...page.edges.map((e) => e.node.id));
      for (const e of page.edges) expect(e.node.project.id).toBe(project.id);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('costs the same statements for a page of ten projects with their counts as for one', async () => {
    const cost = async (first: number) => {
      const before = t.sqlStatements();
      const res = await t.query('zongzhi', PROJECTS, { d: '211402', first });
      expect(res.body.errors).toBeUndefined();
      return t.sqlStatements() - before;
    };
    await cost(1);
    expect(await cost(10)).toBe(await cost(1));
  });

  it('is denied to every agency the policy file does not name, on both lists', async () => {
    const policy = loadPolicy();
    for (const agency of AGENCIES) {
      for (const [field, query] of [
        ['volunteerProjects', PROJECTS],
        ['volunteerActivities', ACTIVITIES],
      ] as const) {
        const allowed =
          policy.decide('Query', field, null, { viewer: { agency, roles: [], jurisdiction: ['211402'] } as never, purpose: null }).outcome !== 'deny';
        const res = await t.query(agency, query, { d: '211402', first: 1 });
        const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
        expect({ agency, field, denied: codes.includes('FORBIDDEN_FIELD') }).toEqual({ agency, field, denied: !allowed });
      }
    }
    // The file names these four and no one else: no analyst counts activities record by record.
    expect(
      AGENCIES.filter((a) => policy.decide('Query', 'volunteerProjects', null, { viewer: { agency: a } as never, purpose: null }).outcome !== 'deny'),
    ).toEqual(['justice', 'grid', 'zongzhi', 'admin']);
  });

  it.each([
    [{ d: '211402001' }, 'districtCode', 'expected a district code (6 digits)'],
    [{ d: '211499' }, 'districtCode', 'unknown district code'],
    [{ d: '' }, 'districtCode', ''],
    [{ d: '211402', p: 'VP1' }, 'projectId', 'expected VP followed by 9 digits'],
    [{ d: '211402', p: '' }, 'projectId', 'expected VP followed by 9 digits'],
  ])('refuses %j with BAD_USER_INPUT on %s', async (variables, argument, message) => {
    const res = await t.query('grid', 'p' in variables ? ACTIVITIES : PROJECTS, { ...variables, first: 1 });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(res.body.errors?.[0].message).toContain(message);
  });
});
