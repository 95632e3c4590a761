import { SignJWT } from 'jose';
import { handlingUnitCode } from '../src/shared/orgUnits';
import { todayCst } from '../src/shared/chinaTime';
import { sql } from './support/db';
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
