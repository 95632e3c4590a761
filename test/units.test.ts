import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { courtUnitCode, handlingUnitCode } from '../src/shared/orgUnits';
import { courtUnitSql, handlingUnitSql, policeCaseUnitSql } from '../src/shared/orgUnitSql';
import { todayCst } from '../src/shared/chinaTime';
import { policeCaseUnitCode } from '../src/subgraphs/police/keys';
import { sql } from './support/db';
import { dispatchFromFirstGrid, eventually, reportDispute, stepMutation } from './support/handoffs';
import { startTestHub, type TestHub } from './support/hub';

/* Organisational units (issue #22) through the gateway: the catalogue, a record's unit, the `unit` claim, the 综治中心 view. */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

/** A caller token as an identity provider would sign it, with any `unit` claim (signCallerToken refuses the bad ones). */
function tokenWith(agency: string, jurisdiction: string[], unit: unknown, roles: string[] = []): Promise<string> {
  return new SignJWT({ name: 'x', agency, roles, jurisdiction, unit })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('u-1')
    .setIssuer(t.hub.keys.callerIssuer)
    .setAudience(t.hub.keys.callerAudience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(t.hub.keys.devCallerSigningKey!);
}

const CENTRE = `query ($code: String!) {
  comprehensiveCentre(divisionCode: $code) {
    divisionCode
    unit { code name level parent { code name } }
    units { code department level }
    eventsByStatus { status count }
    caseload { unit { code } received open }
    handoffsDispatched
    overdueHandoffs
  }
}`;

interface Centre {
  comprehensiveCentre: {
    unit: { code: string; name: string; level: string; parent: { code: string } | null };
    units: Array<{ code: string; department: string; level: string }>;
    eventsByStatus: Array<{ status: string; count: number }> | null;
    caseload: Array<{ unit: { code: string }; received: number; open: number }> | null;
    handoffsDispatched: number | null;
    overdueHandoffs: number | null;
  } | null;
}

describe('organisational units', () => {
  it('lists each department’s units of a district, with level and parent', async () => {
    const res = await t.query<{ orgUnits: Array<{ code: string; name: string; level: string; parent: { code: string } | null }> }>(
      'police',
      '{ orgUnits(divisionCode: "211402", department: "police") { code name level parent { code } } }',
    );
    expect(res.body.errors).toBeUndefined();
    const units = res.body.data!.orgUnits;
    expect(units[0]).toEqual({ code: 'GA211402000000', name: '葫芦岛市公安局连山分局', level: 'COUNTY', parent: { code: 'GA211400000000' } });
    expect(units).toContainEqual({ code: 'GA211402101000', name: '钢屯派出所', level: 'TOWNSHIP', parent: { code: 'GA211402000000' } });
    for (const department of ['procuratorate', 'court', 'justice', 'zongzhi']) {
      const other = await t.query<{ orgUnits: Array<{ code: string }> }>('grid', `{ orgUnits(divisionCode: "211402", department: "${department}") { code } }`);
      expect(other.body.data!.orgUnits.length).toBeGreaterThan(0);
    }
  });

  it('refuses a bad department or division with BAD_USER_INPUT naming the argument', async () => {
    const bad = await t.query('police', '{ orgUnits(divisionCode: "211402", department: "army") { code } }');
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'department' });
    const unknown = await t.query('zongzhi', '{ comprehensiveCentre(divisionCode: "211499") { divisionCode } }');
    expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'divisionCode' });
  });

  it('shows the handling unit of a police case, an incident and a grid event, as the seed derived it from the grid', async () => {
    const chain = t.city.criminalChains.find((c) => c.districtCode === '211402')!;
    const res = await t.query<{ policeCase: { unit: { code: string; level: string } }; incident: { unit: { code: string } } }>(
      'police',
      `{ policeCase(caseNo: "${chain.policeCaseNo}") { unit { code level } } incident(id: "${chain.incidentId}") { unit { code } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.policeCase.unit).toEqual({ code: handlingUnitCode('police', chain.gridCode), level: 'TOWNSHIP' });
    expect(res.body.data!.incident.unit.code).toBe(handlingUnitCode('police', chain.gridCode));
    const event = t.city.gridEvents.find((e) => e.gridCode.startsWith('211402'))!;
    const ev = await t.query<{ gridEvent: { unit: { code: string; parent: { code: string } } } }>(
      'zongzhi',
      `{ gridEvent(id: "${event.id}") { unit { code parent { code } } } }`,
    );
    expect(ev.body.errors).toBeUndefined();
    expect(ev.body.data!.gridEvent.unit).toEqual({ code: `ZZ${event.gridCode.slice(0, 9)}000`, parent: { code: 'ZZ211402000000' } });
  });
});

describe('the handling unit of procuratorate, court and justice records', () => {
  it('shows each department’s record with its unit, as the seed set it', async () => {
    const chain = t.city.criminalChains.find((c) => c.districtCode === '211402' && c.prosecution?.arrestReview && c.trial && c.correction && !c.sealed)!;
    const prosecution = await t.query<{ prosecutionCase: { unit: { code: string; name: string } }; arrestReview: { unit: { code: string } } }>(
      'procuratorate',
      `{ prosecutionCase(caseNo: "${chain.prosecution!.prosecutionCaseNo}") { unit { code name } } arrestReview(caseNo: "${chain.prosecution!.arrestReview!.caseNo}") { unit { code } } }`,
    );
    expect(prosecution.body.errors).toBeUndefined();
    expect(prosecution.body.data!.prosecutionCase.unit).toEqual({ code: 'JC211402000001', name: '连山区人民检察院第一检察部' });
    expect(prosecution.body.data!.arrestReview.unit.code).toBe('JC211402000001');

    const court = await t.query<{ courtCase: { kind: string; unit: { code: string; name: string } } }>(
      'court',
      `{ courtCase(caseNo: "${chain.trial!.courtCaseNo}") { kind unit { code name } } }`,
    );
    expect(court.body.errors).toBeUndefined();
    // A public prosecution is tried by the basic court, not a tribunal.
    expect(court.body.data!.courtCase).toEqual({ kind: 'CRIMINAL', unit: { code: 'FY211402000000', name: '连山区人民法院' } });

    const dispute = t.city.disputes.find((d) => t.city.mediationPoints.find((p) => p.id === d.pointId)?.districtCode === '211402')!;
    const point = t.city.mediationPoints.find((p) => p.id === dispute.pointId)!;
    const justice = await t.query<{
      mediationCase: { unit: { code: string; level: string } };
      communityCorrection: { unit: { code: string; name: string } };
      legalAidCases: { edges: Array<{ node: { unit: { code: string } } }> };
    }>(
      'justice',
      `{ mediationCase(id: "${dispute.mediationId}") { unit { code level } }
         communityCorrection(id: "${chain.correction!.id}") { unit { code name } }
         legalAidCases(filter: { divisionCode: "211402" }, first: 5) { edges { node { unit { code } } } } }`,
    );
    expect(justice.body.errors).toBeUndefined();
    expect(justice.body.data!.mediationCase.unit).toEqual({ code: `SF${point.townshipCode}000`, level: 'TOWNSHIP' });
    expect(justice.body.data!.communityCorrection.unit).toEqual({ code: 'SF211402000000', name: '连山区司法局' });
    const aid = justice.body.data!.legalAidCases.edges.map((e) => e.node.unit.code);
    expect(aid.length).toBeGreaterThan(0);
    expect(new Set(aid)).toEqual(new Set(['SF211402000000']));
  });

  it('stores in every row the unit its rule names, which the migrations’ backfill computes alike; civil cases go to tribunals where there are some', async () => {
    const tables: Array<[string, string, string, (r: Record<string, string>) => string]> = [
      [
        'procuratorate.prosecution_case',
        'district_code',
        handlingUnitSql('procuratorate', 'district_code'),
        (r) => handlingUnitCode('procuratorate', r.district_code),
      ],
      [
        'procuratorate.arrest_review',
        'district_code',
        handlingUnitSql('procuratorate', 'district_code'),
        (r) => handlingUnitCode('procuratorate', r.district_code),
      ],
      [
        'court.court_case',
        'kind, district_code, township_code',
        courtUnitSql('kind', 'district_code', 'township_code'),
        (r) => courtUnitCode(r.kind, r.district_code, r.township_code),
      ],
      ['justice.mediation_case', 'township_code', handlingUnitSql('justice', 'township_code'), (r) => handlingUnitCode('justice', r.township_code)],
      ['justice.community_correction', 'district_code', handlingUnitSql('justice', 'district_code'), (r) => handlingUnitCode('justice', r.district_code)],
      ['justice.legal_aid_case', 'district_code', handlingUnitSql('justice', 'district_code'), (r) => handlingUnitCode('justice', r.district_code)],
      ['police.police_case', 'case_no, grid_code', policeCaseUnitSql('case_no', 'grid_code'), (r) => policeCaseUnitCode(r.case_no, r.grid_code)],
      ['grid.grid_event', 'grid_code', handlingUnitSql('zongzhi', 'grid_code'), (r) => handlingUnitCode('zongzhi', r.grid_code)],
    ];
    for (const [table, columns, backfill, rule] of tables) {
      const rows = await sql<Record<string, string>>(t, `select ${columns}, unit_code, ${backfill} as backfill from ${table}`);
      expect(rows.length).toBeGreaterThan(0);
      const wrong = rows.filter((r) => r.unit_code !== rule(r) || r.backfill !== r.unit_code);
      expect({ table, wrong: wrong.slice(0, 3) }).toEqual({ table, wrong: [] });
    }
    const [tribunals] = await sql<{ civil: string; criminal: string }>(
      t,
      `select count(*) filter (where kind in ('CIVIL', 'SPECIAL_PROCEDURE') and substr(unit_code, 9, 3) <> '000') as civil,
              count(*) filter (where kind in ('CRIMINAL', 'ENFORCEMENT') and unit_code <> 'FY' || district_code || '000000') as criminal
         from court.court_case`,
    );
    expect(Number(tribunals.civil)).toBeGreaterThan(0);
    expect(Number(tribunals.criminal)).toBe(0);
  });

  it.each([
    ['a platform number naming a unit of the catalogue: that unit', 'A2114021010002025010012', 'GA211402101000'],
    ['a platform number naming an unknown unit: the township’s station', 'A2114020400002025010012', 'GA211402001000'],
    ['a platform number with sequence 0000 (no number): the township’s station', 'A2114021010002025010000', 'GA211402001000'],
    ['a platform number with month 13 (no number): the township’s station', 'A2114021010002025130012', 'GA211402001000'],
    ['a compact number: the township’s station', 'A211402202500109', 'GA211402001000'],
  ])('backfills a police case with %s, as the seed does', async (_what, caseNo, unit) => {
    const grid = '211402001001';
    const [row] = await sql<{ unit: string }>(t, `select ${policeCaseUnitSql('$1::text', '$2::text')} as unit`, [caseNo, grid]);
    expect(row.unit).toBe(unit);
    expect(policeCaseUnitCode(caseNo, grid)).toBe(unit);
  });

  it('gives a record an effect creates the receiving unit: the mediation a completed handoff opens is its township’s 司法所', async () => {
    const eventId = await reportDispute(t);
    const handoffId = await dispatchFromFirstGrid(t, eventId, 'DISPUTE_MEDIATION', false);
    const step = stepMutation('id state');
    for (const [mutation, text] of [
      ['acceptHandoff'],
      ['recordHandoffProgress', ['note', '已约双方调解']],
      ['completeHandoff', ['result', '双方达成调解协议']],
    ] as Array<[string, [string, string]?]>) {
      const res = await t.query('justice', step(mutation, text?.[0]), { id: handoffId, key: randomUUID(), ...(text ? { text: text[1] } : {}) });
      expect(res.body.errors).toBeUndefined();
    }
    const [effect] = await eventually(
      `mediation effect of ${handoffId}`,
      () =>
        sql<{ record_key: string | null }>(t, `select record_key from workflow.handoff_effect where handoff_id = $1 and delivered_at is not null`, [handoffId]),
      (rows) => rows.length === 1,
    );
    const res = await t.query<{ mediationCase: { unit: { code: string; level: string } } }>(
      'justice',
      `{ mediationCase(id: "${effect.record_key}") { unit { code level } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.mediationCase.unit).toEqual({ code: `SF${t.city.grids[0].code.slice(0, 9)}000`, level: 'TOWNSHIP' });
  });
});

describe('the `unit` claim', () => {
  it('accepts a unit of the caller’s department inside its jurisdiction, and dev tokens carry one', async () => {
    const station = await t.query(
      { token: await tokenWith('police', ['211402101'], 'GA211402101000', ['household']) },
      '{ orgUnits(divisionCode: "211402101") { code } }',
    );
    expect(station.status).toBe(200);
    expect(station.body.errors).toBeUndefined();
    const dev = await t.token('zongzhi');
    expect(JSON.parse(Buffer.from(dev.split('.')[1], 'base64url').toString()).unit).toBe('ZZ211402000000');
  });

  it.each([
    ['unknown', 'police', ['211402'], 'GA211402999000', /does not exist/],
    ['another department’s', 'police', ['211402'], 'SF211402000000', /justice unit, not a police one/],
    ['another county’s', 'police', ['211402'], 'GA211403000000', /outside the token's jurisdiction/],
    ['empty', 'police', ['211402'], '', /is not a unit code/],
    ['non-string', 'police', ['211402'], 42, /claim "unit"/],
    ['on an agency without units', 'grid', ['211402001001'], 'ZZ211402001000', /carries no unit/],
  ])('refuses an %s unit with 401 UNAUTHENTICATED', async (_what, agency, jurisdiction, unit, message) => {
    const res = await t.query({ token: await tokenWith(agency, jurisdiction, unit) }, '{ orgUnits(divisionCode: "211402") { code } }');
    expect(res.status).toBe(401);
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(res.body.errors![0].message).toMatch(message);
  });
});

describe('the 综治中心 view', () => {
  it('gives the county dispatcher its units and the caseload of its township centres', async () => {
    const res = await t.query<Centre>('zongzhi', CENTRE, { code: '211402' });
    expect(res.body.errors).toBeUndefined();
    const centre = res.body.data!.comprehensiveCentre!;
    expect(centre.unit).toMatchObject({ code: 'ZZ211402000000', name: '连山区社会治安综合治理中心', level: 'COUNTY', parent: { code: 'ZZ211400000000' } });
    expect(new Set(centre.units.map((u) => u.department))).toEqual(new Set(['police', 'procuratorate', 'court', 'justice', 'zongzhi']));
    const [expected] = await sql<{ n: string }>(t, `select count(*) as n from grid.grid_event where grid_code like '211402%'`);
    const total = centre.eventsByStatus!.reduce((n, s) => n + s.count, 0);
    expect(total).toBe(Number(expected.n));
    expect(total).toBeGreaterThan(0);
    expect(centre.caseload!.reduce((n, c) => n + c.received, 0)).toBe(total);
    const [handoffs] = await sql<{ sent: string; overdue: string }>(
      t,
      `select count(*) as sent, count(*) filter (where state in ('SENT','ACCEPTED','IN_PROGRESS','RETURNED') and due_on < $1) as overdue
         from workflow.handoff where from_agency = 'zongzhi' and scope_code like '211402%'`,
      [todayCst()],
    );
    expect(centre.handoffsDispatched).toBe(Number(handoffs.sent));
    expect(centre.overdueHandoffs).toBe(Number(handoffs.overdue));
  });

  it('denies the counts of another county’s centre to its dispatcher, and the view to a police officer and an analyst', async () => {
    const other = await t.query<Centre>('zongzhi', CENTRE, { code: '211403' });
    const centre = other.body.data!.comprehensiveCentre!;
    expect(centre.unit.code).toBe('ZZ211403000000');
    expect(centre.eventsByStatus).toBeNull();
    expect(centre.handoffsDispatched).toBeNull();
    const denied = (other.body.errors ?? []).map((e) => e.extensions?.code);
    expect(denied.length).toBeGreaterThanOrEqual(4);
    expect(new Set(denied)).toEqual(new Set(['FORBIDDEN_FIELD']));
    for (const agency of ['police', 'analyst'] as const) {
      const res = await t.query<Centre>(agency, CENTRE, { code: '211402' });
      expect(res.body.data?.comprehensiveCentre ?? null).toBeNull();
      expect(res.body.errors![0].extensions?.code).toMatch(/FORBIDDEN/);
    }
  });

  it('gives the city centre’s dispatcher every county', async () => {
    const res = await t.query<Centre>({ token: await t.token('zongzhi', { jurisdiction: ['211400'] }) }, CENTRE, { code: '211400' });
    expect(res.body.errors).toBeUndefined();
    const [expected] = await sql<{ n: string }>(t, `select count(*) as n from grid.grid_event`);
    expect(res.body.data!.comprehensiveCentre!.eventsByStatus!.reduce((n, s) => n + s.count, 0)).toBe(Number(expected.n));
    expect(res.body.data!.comprehensiveCentre!.caseload!.length).toBe(59);
  });
});
