import { cityWideChange } from '../src/auth/devTokens';
/**
 * The shared graph end to end: queries that cross all five departments through the real gateway,
 * checked against the demo city every department seeded its part from, and the SQL cost of those
 * queries as the number of people or cases grows.
 */
import { applyMask } from '../src/policy/masking';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import type { DemoCriminalChain, DemoDisputeChain, DemoPerson } from '../src/demo/types';
import { personKey } from '../src/shared/personKey';
import { sql } from './support/db';
import { casePurpose, notSealedErrors } from './support/sealed';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

type Caller = { token: string; headers?: Record<string, string> };

let t: TestHub;
/**
 * City-level officers (jurisdiction 211400, the whole city), with no case stated. City-wide because
 * the people and cases below span every district and every list is row-scoped to the caller's
 * jurisdiction. Without a case, each agency sees its own side of a person: police (a household
 * officer who also investigates) the registry, police records and incidents; the procuratorate,
 * which supervises the whole criminal process, prosecutions, court cases and corrections; the
 * justice bureau mediations, corrections and legal aid; the court everything but incidents, legal
 * aid and the criminal records of other organs. Free purpose text would open nothing more.
 */
let cityPolice: Caller;
let cityProcuratorate: Caller;
let cityJustice: Caller;
let cityCourt: Caller;
/** Filing day of every court case: the court draws it for dispute cases, so the plan alone does not say. */
let courtFiledOn: Map<string, string>;

beforeAll(async () => {
  t = await startTestHub();
  cityPolice = { token: await t.token('police', { ...cityWideChange('police'), roles: ['household', 'investigator', 'city'] }) };
  cityProcuratorate = { token: await t.token('procuratorate', cityWideChange('procuratorate')) };
  cityJustice = { token: await t.token('justice', cityWideChange('justice')) };
  cityCourt = { token: await t.token('court', cityWideChange('court')) };
  const rows = await sql<{ caseNo: string; filedOn: string }>(
    t,
    `select case_no as "caseNo", to_char(filed_on, 'YYYY-MM-DD') as "filedOn" from court.court_case`,
  );
  courtFiledOn = new Map(rows.map((r) => [r.caseNo, r.filedOn]));
});
afterAll(async () => {
  await t?.stop();
});

const key = (idNumber: string) => personKey(idNumber, DEV_PERSON_KEY_SECRET);
/** Descending by a day, then by a number, with the comparison the resolver uses for ties. */
const desc =
  <T>(day: (x: T) => string, no: (x: T) => string, tie: 'codeUnits' | 'locale' = 'codeUnits') =>
  (x: T, y: T): number => {
    if (day(x) !== day(y)) return day(x) < day(y) ? 1 : -1;
    return tie === 'locale' ? no(y).localeCompare(no(x)) : no(x) < no(y) ? 1 : -1;
  };
const forbiddenFields = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => `${String(e.extensions?.code)} ${String(e.extensions?.field)}`).sort();

// ---- 1. one person across all five departments -----------------------------------------------

const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) {
    id name gender birthDate idNumber phone address householdStatus rentalHousing grid { code }
    policeRecords { role policeCase { caseNo } }
    incidents { id reportedAt }
    prosecutions { caseNo decision }
    courtCases { caseNo kind }
    mediations { id outcome }
    communityCorrection { id status }
    legalAid { id status }
  }
}`;

const DEPARTMENT_FIELDS = ['policeRecords', 'incidents', 'prosecutions', 'courtCases', 'mediations', 'communityCorrection', 'legalAid'] as const;
type DepartmentField = (typeof DEPARTMENT_FIELDS)[number];

interface PersonView {
  id: string;
  name: string | null;
  gender: string | null;
  birthDate: string | null;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  householdStatus: string | null;
  rentalHousing: boolean | null;
  grid: { code: string } | null;
  policeRecords: Array<{ role: string; policeCase: { caseNo: string } }> | null;
  incidents: Array<{ id: string; reportedAt: string }> | null;
  prosecutions: Array<{ caseNo: string; decision: string }> | null;
  courtCases: Array<{ caseNo: string; kind: string }> | null;
  mediations: Array<{ id: string; outcome: string }> | null;
  communityCorrection: { id: string; status: string } | null;
  legalAid: Array<{ id: string; status: string }> | null;
}

/** What each department holds about a person, as the demo city plans it (lists in each resolver's order). */
function departmentParts(p: DemoPerson): Pick<PersonView, DepartmentField> {
  const id = p.idNumber;
  const chains = t.city.criminalChains;
  const roleIn = (c: DemoCriminalChain) =>
    c.suspectIdNumbers.includes(id) ? 'SUSPECT' : c.victimIdNumbers.includes(id) ? 'VICTIM' : c.witnessIdNumbers.includes(id) ? 'WITNESS' : null;

  const policeRecords = chains
    .filter((c) => roleIn(c) !== null)
    .sort((x, y) => (x.policeCaseNo < y.policeCaseNo ? 1 : -1))
    .map((c) => ({ role: roleIn(c)!, policeCase: { caseNo: c.policeCaseNo } }));
  // The police log a crime as reported by its first victim; other calls name their caller.
  const incidents = [
    ...t.city.incidents.filter((i) => i.reporterIdNumber === id).map((i) => ({ id: i.id, reportedAt: i.reportedAt })),
    ...chains.filter((c) => c.victimIdNumbers[0] === id).map((c) => ({ id: c.incidentId, reportedAt: c.occurredAt })),
  ].sort(
    desc(
      (i) => new Date(i.reportedAt).toISOString(),
      (i) => i.id,
    ),
  );
  const prosecutions = chains
    .filter((c) => c.prosecution && c.suspectIdNumbers.includes(id))
    .sort(
      desc(
        (c) => c.prosecution!.receivedOn,
        (c) => c.prosecution!.prosecutionCaseNo,
        'locale',
      ),
    )
    .map((c) => ({ caseNo: c.prosecution!.prosecutionCaseNo, decision: c.prosecution!.decision }));
  const courtCases = [
    ...chains
      .filter((c) => c.trial && (c.suspectIdNumbers.includes(id) || c.victimIdNumbers.includes(id)))
      .map((c) => ({ caseNo: c.trial!.courtCaseNo, kind: 'CRIMINAL' })),
    ...t.city.disputes
      .filter((d) => d.partyIdNumbers.includes(id))
      .flatMap((d) => [
        ...(d.confirmationCaseNo ? [{ caseNo: d.confirmationCaseNo, kind: 'SPECIAL_PROCEDURE' }] : []),
        ...(d.lawsuitCaseNo ? [{ caseNo: d.lawsuitCaseNo, kind: 'CIVIL' }] : []),
      ]),
    ...t.city.enforcementCases.filter((e) => e.applicantIdNumber === id || e.respondentIdNumber === id).map((e) => ({ caseNo: e.caseNo, kind: 'ENFORCEMENT' })),
  ].sort(
    desc(
      (c) => courtFiledOn.get(c.caseNo)!,
      (c) => c.caseNo,
    ),
  );
  const mediations = t.city.disputes
    .filter((d) => d.partyIdNumbers.includes(id))
    .sort(
      desc(
        (d) => d.startedOn,
        (d) => d.mediationId,
        'locale',
      ),
    )
    .map((d) => ({ id: d.mediationId, outcome: d.outcome }));
  // The principal suspect serves the probation; the running correction wins, else the latest.
  const corrections = chains
    .filter((c) => c.correction && c.suspectIdNumbers[0] === id)
    .map((c) => c.correction!)
    .sort(
      desc(
        (c) => c.startOn,
        (c) => c.id,
      ),
    );
  const correction = corrections.find((c) => c.status === 'ACTIVE') ?? corrections[0] ?? null;
  const legalAid = t.city.legalAid
    .filter((l) => l.applicantIdNumber === id)
    .sort(
      desc(
        (l) => l.appliedOn,
        (l) => l.id,
      ),
    )
    .map((l) => ({ id: l.id, status: l.status }));
  return {
    policeRecords,
    incidents,
    prosecutions,
    courtCases,
    mediations,
    legalAid,
    communityCorrection: correction && { id: correction.id, status: correction.status },
  };
}

const nonEmpty = (parts: Pick<PersonView, DepartmentField>) =>
  DEPARTMENT_FIELDS.filter((f) => (Array.isArray(parts[f]) ? (parts[f] as unknown[]).length > 0 : parts[f] !== null));

/**
 * People whose views together hold data of every department: the principal suspect of a tried
 * case now in community correction (police, procuratorate, court, justice), a party to a dispute
 * that went to court (justice, court), then whoever covers what is still missing (incidents,
 * legal aid). Everyone is in the grid registry.
 */
function peopleToView(): DemoPerson[] {
  const person = (idNumber: string) => t.city.persons.find((p) => p.idNumber === idNumber)!;
  const corrected = t.city.criminalChains.find((c) => c.correction && !c.trial!.juvenile)!;
  const disputed = t.city.disputes.find((d) => d.lawsuitCaseNo && !d.partyIdNumbers.includes(corrected.suspectIdNumbers[0]))!;
  const chosen = [person(corrected.suspectIdNumbers[0]), person(disputed.partyIdNumbers[0])];
  const covered = new Set(chosen.flatMap((p) => nonEmpty(departmentParts(p))));
  while (covered.size < DEPARTMENT_FIELDS.length) {
    const [best] = t.city.persons.map((p) => ({ p, adds: nonEmpty(departmentParts(p)).filter((f) => !covered.has(f)).length })).sort((x, y) => y.adds - x.adds);
    if (best.adds === 0) break;
    chosen.push(best.p);
    nonEmpty(departmentParts(best.p)).forEach((f) => covered.add(f));
  }
  return chosen;
}

describe('a person across all five departments in one query', () => {
  it('chooses people whose views together hold data of every department', () => {
    const covered = new Set(peopleToView().flatMap((p) => nonEmpty(departmentParts(p))));
    expect([...covered].sort()).toEqual([...DEPARTMENT_FIELDS].sort());
  });

  it("as a city police officer: the registry, police records and incidents; the other departments' records denied without a case", async () => {
    for (const p of peopleToView()) {
      const res = await t.query<{ person: PersonView }>(cityPolice, PERSON_VIEW, { id: key(p.idNumber) });
      expect(res.status).toBe(200);
      const parts = departmentParts(p);
      expect(res.body.data!.person).toEqual({
        id: key(p.idNumber),
        // grid: the population registry, in full for the police
        name: p.name,
        gender: p.gender,
        birthDate: p.birthDate,
        idNumber: p.idNumber,
        phone: p.phone,
        address: p.address,
        householdStatus: p.householdStatus,
        rentalHousing: p.rentalHousing,
        grid: { code: p.gridCode },
        // police
        policeRecords: parts.policeRecords,
        incidents: expect.any(Array),
        // procuratorate and court: through a case the officer states (x-purpose: case:<number>)
        prosecutions: null,
        courtCases: null,
        // justice: not the police's (社区矫正法 art. 8: the justice bureau runs corrections)
        communityCorrection: null,
        mediations: null,
        legalAid: null,
      });
      // Timestamps compared as instants: the plan and the API may format them differently.
      const instants = (list: Array<{ id: string; reportedAt: string }>) => list.map((i) => ({ id: i.id, at: new Date(i.reportedAt).toISOString() }));
      expect(instants(res.body.data!.person.incidents!)).toEqual(instants(parts.incidents!));
      expect(forbiddenFields(res)).toEqual(
        ['communityCorrection', 'courtCases', 'legalAid', 'mediations', 'prosecutions'].map((f) => `FORBIDDEN_FIELD Person.${f}`),
      );
    }
  });

  it('as a city justice bureau officer: mediations, correction and legal aid; criminal records and court cases denied, identity masked', async () => {
    for (const p of peopleToView()) {
      const res = await t.query<{ person: PersonView }>(cityJustice, PERSON_VIEW, { id: key(p.idNumber) });
      expect(res.status).toBe(200);
      const parts = departmentParts(p);
      expect(res.body.data!.person).toEqual({
        id: key(p.idNumber),
        name: p.name,
        gender: p.gender,
        birthDate: p.birthDate,
        grid: { code: p.gridCode },
        idNumber: applyMask('idNumber', p.idNumber),
        phone: applyMask('phone', p.phone),
        address: applyMask('address', p.address),
        householdStatus: null,
        rentalHousing: null,
        policeRecords: null,
        incidents: null,
        prosecutions: null,
        courtCases: null,
        mediations: parts.mediations,
        communityCorrection: parts.communityCorrection,
        legalAid: parts.legalAid,
      });
      expect(forbiddenFields(res)).toEqual(
        ['courtCases', 'householdStatus', 'incidents', 'policeRecords', 'prosecutions', 'rentalHousing'].map((f) => `FORBIDDEN_FIELD Person.${f}`),
      );
    }
  });

  it('every department contributes non-empty data across the people viewed', async () => {
    const seen = new Set<DepartmentField>();
    for (const p of peopleToView()) {
      for (const caller of [cityPolice, cityProcuratorate, cityJustice]) {
        const person = (await t.query<{ person: PersonView }>(caller, PERSON_VIEW, { id: key(p.idNumber) })).body.data!.person;
        for (const f of DEPARTMENT_FIELDS) {
          const v = person[f];
          if (Array.isArray(v) ? v.length > 0 : v !== null) seen.add(f);
        }
      }
    }
    expect([...seen].sort()).toEqual([...DEPARTMENT_FIELDS].sort());
  });
});

// ---- 2. a criminal case police → procuratorate → court → community corrections ---------------

const JOURNEY_FIELDS = `caseNo charge stage
  prosecution {
    caseNo decision
    arrestReview { decision }
    courtCase {
      caseNo
      judgment { verdict sentenceMonths probation }
      communityCorrection { id status person { id name } }
    }
  }`;
const CASE_JOURNEY = `query CaseJourney($caseNo: String!) { policeCase(caseNo: $caseNo) { ${JOURNEY_FIELDS} } }`;

/** The whole journey as the demo city plans it: null where the case stopped. */
function journeyOf(c: DemoCriminalChain) {
  const principal = t.city.persons.find((p) => p.idNumber === c.suspectIdNumbers[0])!;
  const { prosecution: pr, trial, correction } = c;
  return {
    caseNo: c.policeCaseNo,
    charge: c.charge,
    stage: c.stage,
    prosecution: pr && {
      caseNo: pr.prosecutionCaseNo,
      decision: pr.decision,
      arrestReview: pr.arrestReview && { decision: pr.arrestReview.decision },
      courtCase: trial && {
        caseNo: trial.courtCaseNo,
        judgment: trial.verdict && {
          verdict: trial.verdict,
          sentenceMonths: trial.sentenceMonths,
          probation: trial.verdict === 'GUILTY' ? trial.probation : null,
        },
        communityCorrection: correction && { id: correction.id, status: correction.status, person: { id: key(principal.idNumber), name: principal.name } },
      },
    },
  };
}

/** A sealed journey as a supervising prosecutor sees it in a list (no case stated): every stage's substance withheld. */
function sealedJourneyOf(c: DemoCriminalChain) {
  const j = journeyOf(c);
  const court = j.prosecution?.courtCase;
  return {
    ...j,
    charge: null,
    prosecution: j.prosecution && {
      ...j.prosecution,
      decision: null,
      arrestReview: j.prosecution.arrestReview && { decision: null },
      courtCase: court && { ...court, judgment: null, communityCorrection: court.communityCorrection && { ...court.communityCorrection, person: null } },
    },
  };
}

describe('a criminal case from the police to community corrections in one query', () => {
  // The procuratorate supervises the whole criminal process (刑事诉讼法 art. 8, 社区矫正法 art. 8);
  // stating a case it received opens it at every stage, sealed juvenile cases included. A case still
  // with the police is not the procuratorate's to state (PURPOSE_NOT_ESTABLISHED): it supervises it
  // by district.
  const journey = async (c: DemoCriminalChain) => {
    const res = await t.query<{ policeCase: unknown }>(
      cityProcuratorate,
      CASE_JOURNEY,
      { caseNo: c.policeCaseNo },
      c.prosecution ? casePurpose(c.policeCaseNo) : {},
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.policeCase;
  };

  it('follows a tried case into community correction', async () => {
    const chain = t.city.criminalChains.find((c) => c.correction && !c.trial!.juvenile)!;
    expect(await journey(chain)).toEqual(journeyOf(chain));
    // Every hop is there: the chain really crosses four departments and comes back to the registry.
    expect(journeyOf(chain).prosecution!.courtCase!.communityCorrection).not.toBeNull();
  });

  it('returns null for the stages a case never reached, without errors', async () => {
    const shapes: Array<[string, (c: DemoCriminalChain) => boolean]> = [
      ['still investigating: no prosecution', (c) => c.stage === 'INVESTIGATING'],
      ['not prosecuted: no court case', (c) => c.prosecution?.decision === 'NOT_PROSECUTE'],
      ['prosecution pending: no court case', (c) => c.prosecution?.decision === 'PENDING'],
      ['awaiting judgment: no judgment, no correction', (c) => c.trial !== null && c.trial.verdict === null],
      ['prison sentence: no correction', (c) => c.trial?.verdict === 'GUILTY' && !c.trial.probation],
    ];
    for (const [label, shape] of shapes) {
      const chain = t.city.criminalChains.find(shape);
      expect({ label, found: chain !== undefined }).toEqual({ label, found: true });
      expect({ label, journey: await journey(chain!) }).toEqual({ label, journey: journeyOf(chain!) });
    }
    const investigating = t.city.criminalChains.find((c) => c.stage === 'INVESTIGATING')!;
    expect(await journey(investigating)).toMatchObject({ prosecution: null });
    const dropped = t.city.criminalChains.find((c) => c.prosecution?.decision === 'NOT_PROSECUTE')!;
    expect(await journey(dropped)).toMatchObject({ prosecution: { decision: 'NOT_PROSECUTE', courtCase: null } });
  });
});

// ---- 3. a dispute grid event → mediation → court --------------------------------------------

const DISPUTE_JOURNEY = `query DisputeJourney($id: ID!) {
  gridEvent(id: $id) {
    id kind
    mediation {
      id outcome agreement
      judicialConfirmation { caseNo kind }
      lawsuit { caseNo kind }
    }
  }
}`;

describe('a dispute from the grid event to mediation and the court in one query', () => {
  /**
   * The justice bureau of the event's district: it may enter by `gridEvent` (the court may not),
   * and it sees the mediation's outcome and agreement and the court cases that followed.
   */
  const districtJustice = async (d: DemoDisputeChain): Promise<Caller> => {
    const event = t.city.gridEvents.find((e) => e.id === d.gridEventId)!;
    return { token: await t.token('justice', { jurisdiction: [event.gridCode.slice(0, 6)] }), headers: {} };
  };
  const expected = (d: DemoDisputeChain) => ({
    id: d.gridEventId,
    kind: 'DISPUTE',
    mediation: {
      id: d.mediationId,
      outcome: d.outcome,
      agreement: d.agreement,
      judicialConfirmation: d.confirmationCaseNo && { caseNo: d.confirmationCaseNo, kind: 'SPECIAL_PROCEDURE' },
      lawsuit: d.lawsuitCaseNo && { caseNo: d.lawsuitCaseNo, kind: 'CIVIL' },
    },
  });

  it.each([
    ['settled, agreement confirmed by the court (民特)', (d: DemoDisputeChain) => d.outcome === 'SUCCEEDED' && d.confirmationCaseNo !== null],
    ['failed, then sued (民初)', (d: DemoDisputeChain) => d.outcome === 'FAILED' && d.lawsuitCaseNo !== null],
    ['settled without going to court', (d: DemoDisputeChain) => d.outcome === 'SUCCEEDED' && d.confirmationCaseNo === null],
    ['still being mediated', (d: DemoDisputeChain) => d.outcome === 'IN_PROGRESS'],
  ])('%s', async (_label, shape) => {
    const dispute = t.city.disputes.find(shape);
    expect(dispute).toBeDefined();
    const res = await t.query<{ gridEvent: unknown }>(await districtJustice(dispute!), DISPUTE_JOURNEY, { id: dispute!.gridEventId });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.gridEvent).toEqual(expected(dispute!));
  });

  it('gives a grid event that is not a dispute no mediation', async () => {
    const hazard = t.city.gridEvents.find((e) => e.kind === 'HAZARD')!;
    const caller = { token: await t.token('justice', { jurisdiction: [hazard.gridCode.slice(0, 6)] }), headers: {} };
    const res = await t.query<{ gridEvent: unknown }>(caller, DISPUTE_JOURNEY, { id: hazard.id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.gridEvent).toEqual({ id: hazard.id, kind: 'HAZARD', mediation: null });
  });
});

// ---- 4. SQL statements do not grow with the number of people or cases ------------------------

const PERSON_LIST = `query PersonList($n: Int!, $division: String!, $after: String) {
  persons(first: $n, after: $after, filter: { divisionCode: $division }) {
    edges { node {
      id name
      policeRecords { role policeCase { caseNo prosecution { caseNo courtCase { caseNo } } } }
      incidents { id }
      prosecutions { caseNo decision }
      courtCases { caseNo kind }
      mediations { id outcome }
      communityCorrection { id status }
      legalAid { id status }
    } }
  }
}`;

type ListedPerson = {
  id: string;
  policeRecords: Array<{ policeCase: { prosecution: { courtCase: { caseNo: string } | null } | null } }> | null;
  prosecutions: unknown[] | null;
  courtCases: unknown[] | null;
  mediations: unknown[] | null;
};

/** People of a division in the order `persons` lists them (by person key). */
const residentsOf = (division: string) =>
  t.city.persons.filter((p) => p.gridCode.startsWith(division)).sort((x, y) => (key(x.idNumber) < key(y.idNumber) ? -1 : 1));

/**
 * A division and a place in its list where the next five people already exercise every hop of the
 * query (a police record of a tried case — police → procuratorate → court —, a defendant, a court
 * party and a mediation party) and at least fifty follow: otherwise the five would skip fetches and
 * statements the fifty make. Searched over every district and township, every place in the list, so
 * that it does not hang on where the demo's draws put its people.
 */
function windowForCounting(): { division: string; skip: number } {
  const tried = (p: DemoPerson) =>
    t.city.criminalChains.some((c) => c.trial && [...c.suspectIdNumbers, ...c.victimIdNumbers, ...c.witnessIdNumbers].includes(p.idNumber));
  const exercisesEveryHop = (five: DemoPerson[]) => {
    const parts = five.map(departmentParts);
    return (
      five.some(tried) &&
      parts.some((x) => x.prosecutions!.length > 0) &&
      parts.some((x) => x.courtCases!.length > 0) &&
      parts.some((x) => x.mediations!.length > 0)
    );
  };
  for (const { code } of t.city.divisions) {
    const residents = residentsOf(code);
    for (let skip = 0; skip + 50 <= residents.length; skip++) if (exercisesEveryHop(residents.slice(skip, skip + 5))) return { division: code, skip };
  }
  throw new Error('no five consecutive people of any division exercise every hop with fifty after them');
}

const CURSOR_AFTER = `query PersonsBefore($n: Int!, $division: String!) {
  persons(first: $n, filter: { divisionCode: $division }) { pageInfo { endCursor } }
}`;

const CASE_LIST = `query CaseList($n: Int!, $to: Date!) {
  policeCases(first: $n, filter: { stage: TRANSFERRED, to: $to }) { edges { node { ${JOURNEY_FIELDS} } } }
}`;

describe('SQL statements per request do not grow with the number of rows', () => {
  const count = async <T>(caller: Caller, query: string, variables: Record<string, unknown>) => {
    const before = t.sqlStatements();
    const res = await t.query<T>(caller, query, variables);
    return { res, statements: t.sqlStatements() - before };
  };

  it.each([
    ['court', () => cityCourt, ['incidents', 'legalAid', 'policeRecords', 'prosecutions']],
    ['police', () => cityPolice, ['communityCorrection', 'courtCases', 'legalAid', 'mediations', 'prosecutions']],
    ['justice', () => cityJustice, ['courtCases', 'incidents', 'policeRecords', 'prosecutions']],
  ] as const)('person view for 5 and for 50 people, as a city %s officer', async (agency, caller, denied) => {
    const { division, skip } = windowForCounting();
    // The page starts after the `skip` people before the window: its cursor, as a client gets it.
    const before = skip === 0 ? null : await t.query<{ persons: { pageInfo: { endCursor: string } } }>(caller(), CURSOR_AFTER, { n: skip, division });
    const after = before && before.body.data!.persons.pageInfo.endCursor;
    const run = async (n: number) => {
      const { res, statements } = await count<{ persons: { edges: Array<{ node: ListedPerson }> } }>(caller(), PERSON_LIST, { n, division, after });
      expect(res.status).toBe(200);
      const nodes = res.body.data!.persons.edges.map((e) => e.node);
      expect(nodes.map((p) => p.id)).toEqual(
        residentsOf(division)
          .slice(skip, skip + n)
          .map((p) => key(p.idNumber)),
      );
      // The only errors are the fields this agency may not see, once per person.
      expect(new Set(forbiddenFields(res))).toEqual(new Set(denied.map((f) => `FORBIDDEN_FIELD Person.${f}`)));
      expect(res.body.errors).toHaveLength(denied.length * n);
      return { nodes, statements };
    };
    const few = await run(5);
    const many = await run(50);
    // The five did reach every department hop this agency may see.
    const visible = (f: keyof ListedPerson) => !(denied as readonly string[]).includes(f);
    if (visible('policeRecords')) expect(few.nodes.some((p) => p.policeRecords!.some((r) => r.policeCase.prosecution?.courtCase))).toBe(true);
    for (const f of ['prosecutions', 'courtCases', 'mediations'] as const)
      if (visible(f)) expect({ f, some: few.nodes.some((p) => p[f]!.length > 0) }).toEqual({ f, some: true });
    console.log(`person view as ${agency} (division ${division}): ${few.statements} SQL statements for 5 people, ${many.statements} for 50`);
    expect(few.statements).toBeGreaterThan(0);
    expect({ agency, statementsFor5: few.statements, statementsFor50: many.statements }).toEqual({
      agency,
      statementsFor5: few.statements,
      statementsFor50: few.statements,
    });
  });

  it('case journey for 1 and for many police cases, as a city procuratorate officer', async () => {
    // Newest first by filing day: ending the list on the newest case that was reviewed for arrest and
    // reached corrections puts that full journey first, so even one case crosses all five departments.
    const byFiling = desc<DemoCriminalChain>(
      (c) => c.filedOn,
      (c) => c.policeCaseNo,
    );
    const transferred = t.city.criminalChains.filter((c) => c.stage === 'TRANSFERRED').sort(byFiling);
    const full = transferred.find((c) => c.correction && c.prosecution?.arrestReview)!;
    const inList = transferred.filter((c) => c.filedOn <= full.filedOn);
    expect(inList[0]).toBe(full);
    expect(inList.length).toBeGreaterThan(20);
    const run = async (n: number) => {
      const { res, statements } = await count<{ policeCases: { edges: Array<{ node: unknown }> } }>(cityProcuratorate, CASE_LIST, { n, to: full.filedOn });
      expect(notSealedErrors(res.body.errors)).toEqual([]);
      expect(res.body.data!.policeCases.edges.map((e) => e.node)).toEqual(inList.slice(0, n).map((c) => (c.sealed ? sealedJourneyOf(c) : journeyOf(c))));
      return statements;
    };
    const one = await run(1);
    const many = await run(inList.length);
    console.log(`case journey as procuratorate: ${one} SQL statements for 1 case, ${many} for ${inList.length}`);
    expect(one).toBeGreaterThan(0);
    expect({ statementsFor1: one, [`statementsFor${inList.length}`]: many }).toEqual({ statementsFor1: one, [`statementsFor${inList.length}`]: one });
  });
});
