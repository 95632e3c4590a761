import { randomUUID } from 'node:crypto';
import { maskText } from '../src/policy/masking';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { todayCst } from '../src/shared/chinaTime';
import { personKey } from '../src/shared/personKey';
import { dueDate } from '../src/shared/legalPeriods';
import { withSubgraphOrm } from '../src/kit/migrate';
import { justiceDepartment } from '../src/subgraphs/justice';
import { emptyDatabase, sql, sqlAt } from './support/db';
import { dispatchMutation, eventually, stepMutation } from './support/handoffs';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

/**
 * 警调对接 and 访调对接 (issue #22) through the gateway: a police station refers a 110 call, the 综治中心
 * a petition, to people's mediation; completing the referral opens the justice bureau's mediation
 * case with its source, the referring record (resolved by its own department under its own policy)
 * and the party that record names.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const DISTRICT = '211402';
const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);
const FIELDS = 'id state dueOn dueArticle';
type Who = Parameters<TestHub['query']>[0];

async function ok<T>(who: Who, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await t.query<T>(who, query, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}
const step = (mutation: string, id: string, text?: [string, string]) =>
  ok<Record<string, { state: string }>>('justice', stepMutation('state')(mutation, text?.[0]), { id, key: randomUUID(), ...(text ? { text: text[1] } : {}) });

/** Accepts, works on and completes a referral as the district's justice bureau; the mediation case its effect opened. */
async function mediate(handoffId: string, result: string): Promise<string> {
  expect((await step('acceptHandoff', handoffId)).acceptHandoff.state).toBe('ACCEPTED');
  expect((await step('recordHandoffProgress', handoffId, ['note', '已约双方到调解室'])).recordHandoffProgress.state).toBe('IN_PROGRESS');
  expect((await step('completeHandoff', handoffId, ['result', result])).completeHandoff.state).toBe('DONE');
  const [effect] = await eventually(
    `the effect of ${handoffId}`,
    () =>
      sql<{ delivered_at: Date | null; record_key: string | null; mutation: string }>(t, 'select * from workflow.handoff_effect where handoff_id = $1', [
        handoffId,
      ]),
    (rows) => rows.length === 1 && rows[0].delivered_at !== null,
  );
  return effect.record_key!;
}

/** A referral to the district's justice bureau: its kind, the record's key and grid, the note. */
const referral = (kind: 'POLICE_MEDIATION_REFERRAL' | 'PETITION_MEDIATION_REFERRAL', subjectKey: string, scopeCode: string, note: string) => ({
  kind,
  subjectKey,
  scopeCode,
  toAgency: 'justice',
  toUnitCode: DISTRICT,
  note,
});

/** The township's mediation point a referral goes to: its first by id (src/shared/mediationPoints.ts). */
const firstPoint = async (township: string) =>
  (await sql<{ id: string }>(t, 'select min(id) as id from justice.mediation_point where township_code = $1', [township]))[0].id;

const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.code);
const otherDistrictJustice = async () => ({ token: await t.token('justice', { jurisdiction: ['211403'] }) });

const MEDIATION = `query ($id: ID!) { mediationCase(id: $id) {
  id source outcome agreement startedOn townshipCode point { id } parties { id } gridEvent { id }
  incident { id kind summary reporter { id } } petition { xfjbh nrzy } } }`;
interface Mediation {
  id: string;
  source: string;
  outcome: string;
  agreement: string | null;
  startedOn: string;
  townshipCode: string;
  point: { id: string };
  parties: Array<{ id: string }>;
  gridEvent: { id: string } | null;
  incident: { id: string; kind: string; summary: string | null; reporter: { id: string } | null } | null;
  petition: { xfjbh: string; nrzy: string | null } | null;
}

describe("警调对接: a 110 call referred to people's mediation", () => {
  let incident: { id: string; grid_code: string; kind: string; summary: string; reporter_id: string };
  let mediationId: string;

  beforeAll(async () => {
    // A call of the dev officers' district whose caller is known and that no mediation came from yet.
    [incident] = await sql(
      t,
      `select n.id, n.grid_code, n.kind, n.summary, n.reporter_id from police.incident n
       where n.grid_code like '${DISTRICT}%' and n.reporter_id is not null and not exists (select 1 from justice.mediation_case m where m.incident_id = n.id)
       order by n.kind <> '纠纷', n.id limit 1`,
    );
    const sent = await ok<{ dispatchHandoff: { id: string; state: string; dueOn: string; dueArticle: string } }>('police', dispatchMutation(FIELDS), {
      key: randomUUID(),
      input: referral('POLICE_MEDIATION_REFERRAL', incident.id, incident.grid_code, '邻里纠纷，民警现场劝解未果，移交人民调解委员会调解'),
    });
    // No statute: the local dispatch rule's 30 days, as for a grid dispute.
    expect(sent.dispatchHandoff).toMatchObject({ state: 'SENT', dueOn: dueDate(todayCst(), { days: 30 }) });
    expect(sent.dispatchHandoff.dueArticle).toContain('警调对接');
    mediationId = await mediate(sent.dispatchHandoff.id, '双方就停车位纠纷达成调解协议');
  });

  it('opens the mediation case with source POLICE_REFERRAL at the township point, the caller its party; the police resolve the call for the justice bureau', async () => {
    const { mediationCase } = await ok<{ mediationCase: Mediation }>('justice', MEDIATION, { id: mediationId });
    expect(mediationCase).toEqual({
      id: mediationId,
      source: 'POLICE_REFERRAL',
      outcome: 'SUCCEEDED',
      agreement: '双方就停车位纠纷达成调解协议',
      startedOn: todayCst(),
      townshipCode: incident.grid_code.slice(0, 9),
      point: { id: await firstPoint(incident.grid_code.slice(0, 9)) },
      parties: [{ id: incident.reporter_id }],
      gridEvent: null,
      incident: { id: incident.id, kind: incident.kind, summary: incident.summary, reporter: { id: incident.reporter_id } },
      petition: null,
    });
    // The police of the district read the same call by its id.
    const police = await ok<{ incident: { id: string; summary: string } }>('police', 'query ($id: ID!) { incident(id: $id) { id summary } }', {
      id: incident.id,
    });
    expect(police.incident).toEqual({ id: incident.id, summary: incident.summary });
  });

  it("another district's justice bureau gets the call's summary masked and no caller; the court and the admin get what Incident gives them", async () => {
    const query = 'query ($id: ID!) { mediationCase(id: $id) { id source incident { id summary reporter { id } } } }';
    const outside = await t.query<{ mediationCase: { source: string; incident: { summary: string; reporter: unknown } } }>(
      await otherDistrictJustice(),
      query,
      {
        id: mediationId,
      },
    );
    expect(outside.body.data!.mediationCase.source).toBe('POLICE_REFERRAL');
    expect(outside.body.data!.mediationCase.incident).toMatchObject({ summary: maskText(incident.summary), reporter: null });
    expect(codes(outside)).toEqual(['FORBIDDEN_FIELD']);
    // The court sees the case (it confirms agreements) and its source, never the police's call.
    const court = await t.query<{ mediationCase: { source: string; incident: unknown } }>('court', query, { id: mediationId });
    expect(court.body.data!.mediationCase).toMatchObject({ source: 'POLICE_REFERRAL', incident: null });
    expect(codes(court)).toContain('FORBIDDEN_FIELD');
    // The administrator: the summary masked, the caller withheld (Incident's own rules).
    const admin = await t.query<{ mediationCase: { incident: { summary: string; reporter: unknown } } }>('admin', query, { id: mediationId });
    expect(admin.body.data!.mediationCase.incident).toMatchObject({ summary: maskText(incident.summary), reporter: null });
  });

  it('a second referral of the same call finds the case it opened: one mediation per incident', async () => {
    const again = await ok<{ dispatchHandoff: { id: string } }>('police', dispatchMutation('id'), {
      key: randomUUID(),
      input: referral('POLICE_MEDIATION_REFERRAL', incident.id, incident.grid_code, '再次移交'),
    });
    expect(await mediate(again.dispatchHandoff.id, '已调解')).toBe(mediationId);
    expect(await sql(t, 'select id from justice.mediation_case where incident_id = $1', [incident.id])).toEqual([{ id: mediationId }]);
  });

  it('refuses a referral of an incident that does not exist (NOT_FOUND), and one sent by an agency that does not refer calls (FORBIDDEN); nothing is written', async () => {
    const before = await sql(t, 'select count(*)::int as n from workflow.handoff');
    const input = referral('POLICE_MEDIATION_REFERRAL', 'JQ2025999999', incident.grid_code, '移交调解');
    const missing = await t.query('police', dispatchMutation('id'), { key: randomUUID(), input });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const byZongzhi = await t.query('zongzhi', dispatchMutation('id'), { key: randomUUID(), input: { ...input, subjectKey: incident.id } });
    expect(codes(byZongzhi)).toEqual(['FORBIDDEN']);
    expect(await sql(t, 'select count(*)::int as n from workflow.handoff')).toEqual(before);
  });
});

describe("访调对接: a petition referred to people's mediation by the 综治中心", () => {
  let petition: { xfjbh: string; wgdm: string; nrzy: string; sfzh: string };
  let mediationId: string;

  beforeAll(async () => {
    [petition] = await sql(
      t,
      `select c.xfjbh, c.wgdm, c.nrzy, p.sfzh from xf.xf_case c join xf.xf_person p using (ryid)
       where c.wgdm like '${DISTRICT}%' and length(p.sfzh) = 18 and not exists (select 1 from justice.mediation_case m where m.petition_case_id = c.xfjbh)
       order by c.xfjbh limit 1`,
    );
    // The dispatcher of the area finds the petition (the 访调对接 desk) and sends it.
    const seen = await ok<{ petitionCase: { xfjbh: string; nrzy: string } }>('zongzhi', 'query ($k: ID!) { petitionCase(xfjbh: $k) { xfjbh nrzy } }', {
      k: petition.xfjbh,
    });
    expect(seen.petitionCase).toEqual({ xfjbh: petition.xfjbh, nrzy: petition.nrzy });
    const sent = await ok<{ dispatchHandoff: { id: string; dueArticle: string } }>('zongzhi', dispatchMutation(FIELDS), {
      key: randomUUID(),
      input: referral('PETITION_MEDIATION_REFERRAL', petition.xfjbh, petition.wgdm, '信访事项属民间纠纷，转人民调解'),
    });
    expect(sent.dispatchHandoff.dueArticle).toContain('访调对接');
    mediationId = await mediate(sent.dispatchHandoff.id, '双方达成调解协议，信访人息访');
  });

  it('opens the mediation case with source PETITION_REFERRAL, the petitioner its party; the petition department resolves the petition', async () => {
    const { mediationCase } = await ok<{ mediationCase: Mediation }>('justice', MEDIATION, { id: mediationId });
    expect(mediationCase).toMatchObject({
      source: 'PETITION_REFERRAL',
      townshipCode: petition.wgdm.slice(0, 9),
      point: { id: await firstPoint(petition.wgdm.slice(0, 9)) },
      parties: [{ id: key(petition.sfzh) }],
      gridEvent: null,
      incident: null,
      petition: { xfjbh: petition.xfjbh, nrzy: petition.nrzy },
    });
  });

  it('the court sees the source but not the petition; the admin the petition with its content masked', async () => {
    const query = 'query ($id: ID!) { mediationCase(id: $id) { source petition { xfjbh nrzy } } }';
    const court = await t.query<{ mediationCase: { source: string; petition: unknown } }>('court', query, { id: mediationId });
    expect(court.body.data!.mediationCase).toEqual({ source: 'PETITION_REFERRAL', petition: null });
    expect(codes(court)).toContain('FORBIDDEN_FIELD');
    const admin = await ok<{ mediationCase: { petition: { xfjbh: string; nrzy: string } } }>('admin', query, { id: mediationId });
    expect(admin.mediationCase.petition).toEqual({ xfjbh: petition.xfjbh, nrzy: maskText(petition.nrzy) });
  });

  it('refuses a petition the bureau does not hold (NOT_FOUND), and a petition referral sent by the police (FORBIDDEN)', async () => {
    const input = referral('PETITION_MEDIATION_REFERRAL', 'XF2025999999', petition.wgdm, '转调解');
    expect(codes(await t.query('zongzhi', dispatchMutation('id'), { key: randomUUID(), input }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.query('police', dispatchMutation('id'), { key: randomUUID(), input: { ...input, subjectKey: petition.xfjbh } }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('the source in the mediation case list', () => {
  const LIST = `query ($filter: MediationCaseFilter, $after: String) { mediationCases(filter: $filter, first: 100, after: $after) {
    edges { node { id source incident { id } petition { xfjbh } gridEvent { id } } } pageInfo { hasNextPage endCursor } } }`;
  type Node = { id: string; source: string; incident: { id: string } | null; petition: { xfjbh: string } | null; gridEvent: { id: string } | null };
  async function all(filter: Record<string, unknown>): Promise<Node[]> {
    const nodes: Node[] = [];
    for (let after: string | null = null; ;) {
      const page: { mediationCases: { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await ok('justice', LIST, {
        filter,
        after,
      });
      nodes.push(...page.mediationCases.edges.map((e) => e.node));
      if (!page.mediationCases.pageInfo.hasNextPage) return nodes;
      after = page.mediationCases.pageInfo.endCursor;
    }
  }

  it('lists every case of the district with its source and referring record, as the demo city has them, and filters by source', async () => {
    const listed = await all({ divisionCode: DISTRICT });
    const demo = t.city.disputes.filter((d) => t.city.mediationPoints.find((p) => p.id === d.pointId)!.districtCode === DISTRICT);
    const byId = new Map(listed.map((n) => [n.id, n]));
    for (const d of demo)
      expect(byId.get(d.mediationId)).toEqual({
        id: d.mediationId,
        source: d.source,
        incident: d.incidentId ? { id: d.incidentId } : null,
        // The bureau's stand-in holds the small city's petitions, this test hub's city.
        petition: d.petition ? { xfjbh: d.petition.caseId } : null,
        gridEvent: d.gridEventId ? { id: d.gridEventId } : null,
      });
    expect(new Set(listed.map((n) => n.source))).toEqual(new Set(['GRID_EVENT', 'POLICE_REFERRAL', 'PETITION_REFERRAL']));
    for (const source of ['GRID_EVENT', 'POLICE_REFERRAL', 'PETITION_REFERRAL', 'WALK_IN']) {
      const only = await all({ divisionCode: DISTRICT, source });
      expect(only.map((n) => n.id)).toEqual(listed.filter((n) => n.source === source).map((n) => n.id));
    }
  });
});

describe('the migration that adds the source', () => {
  const MIGRATION = 'Migration20261204234117';
  it('backfills the cases stored before it: GRID_EVENT where a grid event is named, else WALK_IN; no referring record', async () => {
    const db = await emptyDatabase('mediation_source');
    try {
      await withSubgraphOrm(justiceDepartment, db.url, async (orm) => {
        // Every justice migration before this one, then two cases as they were stored then.
        const names = justiceDepartment.migrations.map((m) => m.name);
        await orm.migrator.up({ to: names[names.indexOf(MIGRATION) - 1] });
        const row = `'MP0001', 'MD00001', '2025-03-01', 'SUCCEEDED', '211402', '211402001', 'SF211402001000'`;
        await sqlAt(
          db.url,
          `insert into justice.mediation_case (id, grid_event_id, point_id, mediator_id, started_on, outcome, district_code, township_code, unit_code)
           values ('MC2025000001', 'GE2025000001', ${row}), ('MC2025000002', null, ${row})`,
        );
        expect((await orm.migrator.up({ to: MIGRATION })).map((m) => m.name)).toEqual([MIGRATION]);
      });
      expect(await sqlAt(db.url, 'select id, source::text, incident_id, petition_case_id from justice.mediation_case order by id')).toEqual([
        { id: 'MC2025000001', source: 'GRID_EVENT', incident_id: null, petition_case_id: null },
        { id: 'MC2025000002', source: 'WALK_IN', incident_id: null, petition_case_id: null },
      ]);
    } finally {
      await db.drop();
    }
  });
});
