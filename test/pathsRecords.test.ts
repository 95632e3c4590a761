import { AGENCIES } from '../src/auth/viewer';
import { loadPolicy } from '../src/policy/policy';
import { hotlineApi } from '../src/subgraphs/hotline/api';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';
import { pathsTo, sensitiveTypes } from './support/paths';
import { walkPath, type PathRecipe, type TypeWalk } from './support/pathWalk';

/*
 * The path test for every record type with sensitive fields (test/paths.test.ts walks Person): the
 * types come from the policy file and their paths from the supergraph's API schema; each path
 * reaches one record for every agency × role × inside/outside its jurisdiction × purpose (none,
 * free text, break-glass, its case stated — established or not) × sealed/unsealed, and must give
 * what the look-up by key gives (the entity reference each department answers). A path with no
 * recipe fails the test.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  // The small demo city has no sealed case served in the community: one case with a community
  // correction is sealed here in every department holding it, so sealed corrections are walked too.
  const [chain] = await sql<{ correction: string; court: string; prosecution: string; review: string | null; police: string }>(
    t,
    `select r.id as correction,
    c.case_no as court, p.case_no as prosecution, p.arrest_review_case_no as review, p.police_case_no as police from justice.community_correction r
    join court.court_case c on c.case_no = r.court_case_no join procuratorate.prosecution_case p on p.case_no = c.prosecution_case_no order by r.id limit 1`,
  );
  await sql(t, 'update justice.community_correction set sealed = true where id = $1', [chain.correction]);
  await sql(t, 'update justice.legal_aid_case set sealed = true where police_case_no = $1', [chain.police]);
  await sql(t, 'update court.court_case set sealed = true where case_no = $1', [chain.court]);
  await sql(t, 'update procuratorate.prosecution_case set sealed = true where case_no = $1', [chain.prosecution]);
  await sql(t, 'update procuratorate.arrest_review set sealed = true where case_no = $1', [chain.review]);
  await sql(t, 'update police.police_case set sealed = true where case_no = $1', [chain.police]);
  // No appeal of the small city is sealed: one criminal appeal and the first instance it hears are sealed here (the appeal inherits the seal), so sealed appeals are walked too.
  await sql(
    t,
    `update court.court_case set sealed = true where case_no in (select unnest(array[case_no, appeal_of_case_no]) from
      (select case_no, appeal_of_case_no from court.court_case where kind = 'CRIMINAL_APPEAL' order by case_no limit 1) a)`,
  );
  // The demo confirms and files no 诉前调解 (its court cases stay the plan's): one settled and one failed are linked here to a 民特 and a 民初 of their district.
  for (const [status, kind, column, next] of [
    ['SETTLED', 'SPECIAL_PROCEDURE', 'confirmation_case_no', 'CONFIRMED'],
    ['FAILED', 'CIVIL', 'lawsuit_case_no', 'FILED'],
  ])
    await sql(
      t,
      `update court.pre_litigation_mediation p set status = '${next}', ${column} = (select c.case_no from court.court_case c where c.kind = '${kind}' and c.district_code = p.district_code order by c.case_no limit 1)
      where p.case_no = (select case_no from court.pre_litigation_mediation where status = '${status}' and district_code in (select district_code from court.court_case where kind = '${kind}') order by district_code <> '211402', case_no limit 1)`,
    );
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
/** Person has its own path test (test/paths.test.ts), which compares every field with the policy. */
const TYPES = sensitiveTypes(policy).filter((name) => name !== 'Person');

/** Paths that reach no existing record. */
const NOT_A_PATH: Record<string, string> = {
  'Mutation.reportGridEvent': 'creates a new event: it returns the record it made',
  'Mutation.recordVisit': 'creates a new visit: it returns the record it made',
  'Mutation.dispatchHandoff': 'creates a new handoff: it returns the record it made',
  // A step answers the handoff it moved, to the side that moved it (test/workflow.test.ts); its reads are the look-up's.
  ...Object.fromEntries(
    ['acceptHandoff', 'returnHandoff', 'resubmitHandoff', 'recordHandoffProgress', 'completeHandoff', 'giveHandoffFeedback', 'escalateHandoff'].map((m) => [
      `Mutation.${m}`,
      'a step: it changes a handoff and returns the record it changed, to the side allowed to change it',
    ]),
  ),
  ...Object.fromEntries(
    ['delegatePreLitigationMediation', 'recordPreLitigationOutcome', 'confirmPreLitigationAgreement', 'filePreLitigationLawsuit'].map((m) => [
      `Mutation.${m}`,
      'a 诉前调解 step: it returns the record it made or changed, to the side allowed to (test/preLitigation.test.ts)',
    ]),
  ),
  'CommunityCorrection.handoffs': 'no kind of handoff is about a community correction yet (交付社区矫正 is about the court case)',
  'Mutation.answerPreSentenceAssessment': 'creates a new assessment: it returns the record it made',
  // Writes by the officer who runs the record (test/corrections.test.ts): each returns the record it changed, its fields ruled as by the look-up.
  'Mutation.recordCriminalJudgment': "the judge's judgment: it changes a case and returns it, to the court that tries it",
  // Appeals (二审): the intermediate court's judge files and decides them (test/appeals.test.ts); the record returned is ruled as by the look-up.
  'Mutation.fileAppeal': 'creates a new appeal: it returns the record it made, to the intermediate court that filed it',
  'Mutation.decideAppeal': "the appeal's decision: it changes the appeal and returns it, to its presiding judge",
  ...Object.fromEntries(
    ['recordCorrectionReport', 'issueCorrectionWarning', 'revokeCorrection', 'releaseFromCorrection', 'addCorrectionGroupMember'].map((m) => [
      `Mutation.${m}`,
      "an entry in a correction's file: it changes the correction and returns it, to the correction officer allowed to change it",
    ]),
  ),
};

/**
 * One recipe per path. `target(seal)` is SQL for one record the path reaches: `id` (its identity
 * in the graph), `code` (its scope code, or the division it belongs to), `caseNo` (a case number of
 * its journey to state, or null), and the query's variables (`k`, `d`, `e`). `seal(alias)` is the
 * condition on the sealed type's row. `SEL` stands for the record's selection.
 */
const R: Record<string, Record<string, PathRecipe>> = {
  // The grid worker's objects (houses, special populations, key places, visits): reached from their grid or a visit.
  House: {
    'Grid.houses': {
      target: () => `select h.id, h.grid_code as code, null as "caseNo", h.grid_code as k from grid.house h`,
      query: 'query ($k: String!) { r: grid(code: $k) { houses(first: 100) { edges { node { SEL } } } } }',
    },
    'Person.house': {
      target: () => `select h.id, h.grid_code as code, null as "caseNo", g.id as k from grid.house h join grid.person g on g.house_id = h.id`,
      query: 'query ($k: ID!) { r: person(id: $k) { house { SEL } } }',
    },
    'Visit.house': {
      target: () => `select h.id, h.grid_code as code, null as "caseNo", v.grid_code as k from grid.house h join grid.visit v on v.house_id = h.id`,
      query: 'query ($k: String!) { r: grid(code: $k) { visits(first: 100) { edges { node { house { SEL } } } } } }',
    },
  },
  SpecialPopulation: {
    'Grid.specialPopulations': {
      target: () => `select s.id, s.grid_code as code, null as "caseNo", s.grid_code as k from grid.special_population s`,
      query: 'query ($k: String!) { r: grid(code: $k) { specialPopulations { SEL } } }',
    },
  },
  KeyPlace: {
    'Grid.keyPlaces': {
      target: () => `select p.id, p.grid_code as code, null as "caseNo", p.grid_code as k from grid.key_place p`,
      query: 'query ($k: String!) { r: grid(code: $k) { keyPlaces { SEL } } }',
    },
    'Visit.keyPlace': {
      target: () => `select p.id, p.grid_code as code, null as "caseNo", v.grid_code as k from grid.key_place p join grid.visit v on v.key_place_id = p.id`,
      query: 'query ($k: String!) { r: grid(code: $k) { visits(first: 100) { edges { node { keyPlace { SEL } } } } } }',
    },
  },
  Visit: {
    'Grid.visits': {
      target: () => `select v.id, v.grid_code as code, null as "caseNo", v.grid_code as k from grid.visit v`,
      query: 'query ($k: String!) { r: grid(code: $k) { visits(first: 100) { edges { node { SEL } } } } }',
    },
  },
  PoliceCase: {
    'Query.policeCase': {
      target: (s) => `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", c.case_no as k from police.police_case c where ${s('c')}`,
      query: 'query ($k: String!) { r: policeCase(caseNo: $k) { SEL } }',
    },
    'Query.policeCases': {
      target: (s) =>
        `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", left(c.grid_code, 9) as k, c.filed_on::text as d from police.police_case c where ${s('c')}`,
      query: 'query ($k: String!, $d: Date!) { r: policeCases(filter: { divisionCode: $k, from: $d, to: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'ArrestReview.policeCase': {
      target: (s) =>
        `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", a.case_no as k from police.police_case c join procuratorate.arrest_review a on a.police_case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: String!) { r: arrestReview(caseNo: $k) { policeCase { SEL } } }',
    },
    'CaseParticipant.policeCase': {
      target: (s) =>
        `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", p.person_id as k from police.police_case c join police.case_participant p on p.case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: ID!) { r: person(id: $k) { policeRecords { policeCase { SEL } } } }',
    },
    'Incident.policeCase': {
      target: (s) => `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", c.incident_id as k from police.police_case c where ${s('c')}`,
      query: 'query ($k: ID!) { r: incident(id: $k) { policeCase { SEL } } }',
    },
    'ProsecutionCase.policeCase': {
      target: (s) =>
        `select c.case_no as id, c.grid_code as code, c.case_no as "caseNo", p.case_no as k from police.police_case c join procuratorate.prosecution_case p on p.police_case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: String!) { r: prosecutionCase(caseNo: $k) { policeCase { SEL } } }',
    },
  },
  Incident: {
    'Query.incident': {
      target: () =>
        `select n.id, n.grid_code as code, c.case_no as "caseNo", n.id as k from police.incident n join police.police_case c on c.incident_id = n.id`,
      query: 'query ($k: ID!) { r: incident(id: $k) { SEL } }',
    },
    'Query.incidents': {
      target:
        () => `select n.id, n.grid_code as code, c.case_no as "caseNo", left(n.grid_code, 9) as k, to_char(n.reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as d,
        to_char((n.reported_at + interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as e from police.incident n join police.police_case c on c.incident_id = n.id`,
      query:
        'query ($k: String!, $d: DateTime!, $e: DateTime!) { r: incidents(filter: { divisionCode: $k, from: $d, to: $e }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'Person.incidents': {
      target: () => `select n.id, n.grid_code as code, null as "caseNo", n.reporter_id as k from police.incident n where n.reporter_id is not null`,
      query: 'query ($k: ID!) { r: person(id: $k) { incidents { SEL } } }',
    },
    'PoliceCase.incident': {
      target: () =>
        `select n.id, n.grid_code as code, c.case_no as "caseNo", c.case_no as k from police.incident n join police.police_case c on c.incident_id = n.id`,
      query: 'query ($k: String!) { r: policeCase(caseNo: $k) { incident { SEL } } }',
    },
    // 警调对接: the call a police referral brought to a mediation (demo referrals), resolved by the police under Incident's rules.
    'MediationCase.incident': {
      target: () =>
        `select n.id, n.grid_code as code, null as "caseNo", m.id as k from police.incident n join justice.mediation_case m on m.incident_id = n.id`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { incident { SEL } } }',
    },
  },
  CaseParticipant: {
    'PoliceCase.participants': {
      target: () =>
        `${participant} select p.case_no || '|' || p.role as id, c.grid_code as code, c.case_no as "caseNo", c.case_no as k from p join police.police_case c on c.case_no = p.case_no`,
      query: 'query ($k: String!) { r: policeCase(caseNo: $k) { participants { SEL } } }',
    },
    'Person.policeRecords': {
      target: () =>
        `${participant} select p.case_no || '|' || p.role as id, c.grid_code as code, c.case_no as "caseNo", p.person_id as k from p join police.police_case c on c.case_no = p.case_no`,
      query: 'query ($k: ID!) { r: person(id: $k) { policeRecords { SEL } } }',
    },
  },
  ProsecutionCase: {
    'Query.prosecutionCase': {
      target: (s) =>
        `select p.case_no as id, p.township_code as code, p.case_no as "caseNo", p.case_no as k from procuratorate.prosecution_case p where ${s('p')}`,
      query: 'query ($k: String!) { r: prosecutionCase(caseNo: $k) { SEL } }',
    },
    'Query.prosecutionCases': {
      target: (s) =>
        `select p.case_no as id, p.township_code as code, p.case_no as "caseNo", p.township_code as k, p.received_on::text as d from procuratorate.prosecution_case p where ${s('p')}`,
      query: 'query ($k: String!, $d: Date!) { r: prosecutionCases(filter: { divisionCode: $k, from: $d, to: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'CourtCase.prosecutionCase': {
      target: (s) =>
        `select p.case_no as id, p.township_code as code, p.case_no as "caseNo", c.case_no as k from procuratorate.prosecution_case p join court.court_case c on c.prosecution_case_no = p.case_no where ${s('p')}`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { prosecutionCase { SEL } } }',
    },
    'Person.prosecutions': {
      target: (s) =>
        `select p.case_no as id, p.township_code as code, p.case_no as "caseNo", d.person_id as k from procuratorate.prosecution_case p join procuratorate.prosecution_defendant d on d.case_no = p.case_no where ${s('p')}`,
      query: 'query ($k: ID!) { r: person(id: $k) { prosecutions { SEL } } }',
    },
    'PoliceCase.prosecution': {
      target: (s) =>
        `select p.case_no as id, p.township_code as code, p.case_no as "caseNo", p.police_case_no as k from procuratorate.prosecution_case p where ${s('p')}`,
      query: 'query ($k: String!) { r: policeCase(caseNo: $k) { prosecution { SEL } } }',
    },
  },
  ArrestReview: {
    'Query.arrestReview': {
      target: (s) =>
        `select a.case_no as id, a.township_code as code, a.case_no as "caseNo", a.case_no as k from procuratorate.arrest_review a where ${s('a')}`,
      query: 'query ($k: String!) { r: arrestReview(caseNo: $k) { SEL } }',
    },
    'PoliceCase.arrestReview': {
      target: (s) =>
        `select a.case_no as id, a.township_code as code, a.case_no as "caseNo", a.police_case_no as k from procuratorate.arrest_review a where ${s('a')}`,
      query: 'query ($k: String!) { r: policeCase(caseNo: $k) { arrestReview { SEL } } }',
    },
    'ProsecutionCase.arrestReview': {
      target: (s) =>
        `select a.case_no as id, a.township_code as code, a.case_no as "caseNo", p.case_no as k from procuratorate.arrest_review a join procuratorate.prosecution_case p on p.arrest_review_case_no = a.case_no where ${s('a')}`,
      query: 'query ($k: String!) { r: prosecutionCase(caseNo: $k) { arrestReview { SEL } } }',
    },
  },
  CourtCase: {
    'Query.courtCase': {
      target: (s) => `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.case_no as k from court.court_case c where ${s('c')}`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { SEL } }',
    },
    'Query.courtCases': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.township_code as k, c.filed_on::text as d from court.court_case c where ${s('c')}`,
      query: 'query ($k: String!, $d: Date!) { r: courtCases(filter: { divisionCode: $k, from: $d, to: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'CommunityCorrection.courtCase': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", r.id as k from court.court_case c join justice.community_correction r on r.court_case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: ID!) { r: communityCorrection(id: $k) { courtCase { SEL } } }',
    },
    'MediationCase.judicialConfirmation': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.mediation_case_id as k from court.court_case c where c.kind = 'SPECIAL_PROCEDURE' and ${s('c')}`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { judicialConfirmation { SEL } } }',
    },
    'MediationCase.lawsuit': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.mediation_case_id as k from court.court_case c where c.kind = 'CIVIL' and c.mediation_case_id is not null and ${s('c')}`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { lawsuit { SEL } } }',
    },
    ...Object.fromEntries(
      (
        [
          ['judicialConfirmation', 'confirmation_case_no'],
          ['lawsuit', 'lawsuit_case_no'],
        ] as const
      ).map(([field, column]) => [
        `PreLitigationMediationCase.${field}`,
        {
          target: (s: (alias: string) => string) =>
            `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", p.case_no as k from court.court_case c join court.pre_litigation_mediation p on p.${column} = c.case_no where ${s('c')}`,
          query: `query ($k: String!) { r: preLitigationMediationCase(caseNo: $k) { ${field} { SEL } } }`,
        },
      ]),
    ),
    'Person.courtCases': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", p.person_id as k from court.court_case c join court.court_party p on p.case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: ID!) { r: person(id: $k) { courtCases { SEL } } }',
    },
    'ProsecutionCase.courtCase': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.prosecution_case_no as k from court.court_case c where c.prosecution_case_no is not null and ${s('c')}`,
      query: 'query ($k: String!) { r: prosecutionCase(caseNo: $k) { courtCase { SEL } } }',
    },
    // Appeals (二审): the first instance from its appeal, the appeals from their first instance.
    'CourtCase.appealOf': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", a.case_no as k from court.court_case c join court.court_case a on a.appeal_of_case_no = c.case_no where ${s('c')}`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { appealOf { SEL } } }',
    },
    'CourtCase.appeals': {
      target: (s) =>
        `select c.case_no as id, c.township_code as code, c.case_no as "caseNo", c.appeal_of_case_no as k from court.court_case c where c.appeal_of_case_no is not null and ${s('c')}`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { appeals { SEL } } }',
    },
  },
  CommunityCorrection: {
    'Query.communityCorrection': {
      target: (s) => `select r.id, r.district_code as code, r.id as "caseNo", r.id as k from justice.community_correction r where ${s('r')}`,
      query: 'query ($k: ID!) { r: communityCorrection(id: $k) { SEL } }',
    },
    'Query.communityCorrections': {
      target: (s) =>
        `select r.id, r.district_code as code, r.id as "caseNo", r.district_code as k, r.status::text as d from justice.community_correction r where ${s('r')}`,
      query:
        'query ($k: String!, $d: CorrectionStatus!) { r: communityCorrections(filter: { divisionCode: $k, status: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'CourtCase.communityCorrection': {
      target: (s) => `select r.id, r.district_code as code, r.id as "caseNo", r.court_case_no as k from justice.community_correction r where ${s('r')}`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { communityCorrection { SEL } } }',
    },
    'Person.communityCorrection': {
      target: (s) => `select r.id, r.district_code as code, r.id as "caseNo", r.person_id as k from justice.community_correction r where ${s('r')}`,
      query: 'query ($k: ID!) { r: person(id: $k) { communityCorrection { SEL } } }',
    },
  },
  // A correction's file and group, by their correction (unsealed: the sealed correction's recipes walk the seal).
  CorrectionEvent: {
    'CommunityCorrection.events': {
      target: () =>
        `select e.kind::text || '|' || to_char(e.occurred_on, 'YYYY-MM-DD') as id, r.district_code as code, r.id as "caseNo", r.id as k from justice.correction_event e join justice.community_correction r on r.id = e.correction_id where not r.sealed`,
      query: 'query ($k: ID!) { r: communityCorrection(id: $k) { events { SEL } } }',
    },
  },
  CorrectionGroupMember: {
    'CommunityCorrection.group': {
      target: () =>
        `select m.role::text as id, r.district_code as code, r.id as "caseNo", r.id as k from justice.correction_group_member m join justice.community_correction r on r.id = m.correction_id where not r.sealed`,
      query: 'query ($k: ID!) { r: communityCorrection(id: $k) { group { SEL } } }',
    },
  },
  PreSentenceAssessment: {
    'CourtCase.preSentenceAssessment': {
      target: () => `select a.id, a.district_code as code, a.court_case_no as "caseNo", a.court_case_no as k from justice.pre_sentence_assessment a`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { preSentenceAssessment { SEL } } }',
    },
  },
  PreLitigationMediationCase: {
    'Query.preLitigationMediationCase': {
      target: () => `select p.case_no as id, p.township_code as code, null as "caseNo", p.case_no as k from court.pre_litigation_mediation p`,
      query: 'query ($k: String!) { r: preLitigationMediationCase(caseNo: $k) { SEL } }',
    },
    'Query.preLitigationMediationCases': {
      target: () => `select p.case_no as id, p.township_code as code, null as "caseNo", p.township_code as k from court.pre_litigation_mediation p`,
      query: 'query ($k: String!) { r: preLitigationMediationCases(divisionCode: $k, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
  },
  LegalAidCase: {
    'Query.legalAidCases': {
      target: (s) =>
        `select l.id, l.district_code as code, ${legalAidCase} as "caseNo", l.district_code as k, l.status::text as d from justice.legal_aid_case l where ${s('l')}`,
      query: 'query ($k: String!, $d: LegalAidStatus!) { r: legalAidCases(filter: { divisionCode: $k, status: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'Person.legalAid': {
      target: (s) => `select l.id, l.district_code as code, ${legalAidCase} as "caseNo", l.applicant_id as k from justice.legal_aid_case l where ${s('l')}`,
      query: 'query ($k: ID!) { r: person(id: $k) { legalAid { SEL } } }',
    },
  },
  MediationCase: {
    'Query.mediationCase': {
      target: () => `select m.id, m.township_code as code, null as "caseNo", m.id as k from justice.mediation_case m`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { SEL } }',
    },
    'Query.mediationCases': {
      target: () => `select m.id, m.township_code as code, null as "caseNo", m.township_code as k, m.started_on::text as d from justice.mediation_case m`,
      query: 'query ($k: String!, $d: Date!) { r: mediationCases(filter: { divisionCode: $k, from: $d, to: $d }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'CourtCase.mediationCase': {
      target: () =>
        `select m.id, m.township_code as code, c.case_no as "caseNo", c.case_no as k from justice.mediation_case m join court.court_case c on c.mediation_case_id = m.id`,
      query: 'query ($k: String!) { r: courtCase(caseNo: $k) { mediationCase { SEL } } }',
    },
    'GridEvent.mediation': {
      target: () =>
        `select m.id, m.township_code as code, null as "caseNo", m.grid_event_id as k from justice.mediation_case m where m.grid_event_id is not null`,
      query: 'query ($k: ID!) { r: gridEvent(id: $k) { mediation { SEL } } }',
    },
    'Person.mediations': {
      target: () =>
        `select m.id, m.township_code as code, null as "caseNo", p.person_id as k from justice.mediation_case m join justice.mediation_party p on p.mediation_id = m.id`,
      query: 'query ($k: ID!) { r: person(id: $k) { mediations { SEL } } }',
    },
  },
  Mediator: {
    'MediationPoint.mediators': {
      target: () =>
        `select d.id, p.township_code as code, null as "caseNo", p.township_code as k from justice.mediator d join justice.mediation_point p on p.id = d.point_id`,
      query: 'query ($k: String!) { r: mediationPoints(divisionCode: $k, first: 100) { edges { node { mediators { SEL } } } } }',
    },
    'MediationCase.mediator': {
      target: () =>
        `select d.id, m.township_code as code, null as "caseNo", m.id as k from justice.mediator d join justice.mediation_case m on m.mediator_id = d.id`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { mediator { SEL } } }',
    },
  },
  GridEvent: {
    'Query.gridEvent': {
      target: () => `select e.id, e.grid_code as code, null as "caseNo", e.id as k from grid.grid_event e`,
      query: 'query ($k: ID!) { r: gridEvent(id: $k) { SEL } }',
    },
    'Query.gridEvents': {
      target: () => `select e.id, e.grid_code as code, null as "caseNo", e.grid_code as k from grid.grid_event e`,
      query: 'query ($k: String!) { r: gridEvents(filter: { gridCode: $k }, first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'MediationCase.gridEvent': {
      target: () =>
        `select e.id, e.grid_code as code, null as "caseNo", m.id as k from grid.grid_event e join justice.mediation_case m on m.grid_event_id = e.id`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { gridEvent { SEL } } }',
    },
    'PetitionCase.gridEvent': {
      target: () => `select e.id, e.grid_code as code, null as "caseNo", x.xfjbh as k from grid.grid_event e join xf.xf_case x on x.wgsjbh = e.id`,
      query: 'query ($k: ID!) { r: petitionCase(xfjbh: $k) { gridEvent { SEL } } }',
    },
  },
  GridWorker: {
    'Grid.worker': {
      target: () => `select w.id, w.grid_code as code, null as "caseNo", w.grid_code as k from grid.grid_worker w`,
      query: 'query ($k: String!) { r: grid(code: $k) { worker { SEL } } }',
    },
    'GridEvent.reportedBy': {
      target: () => `select w.id, w.grid_code as code, null as "caseNo", e.id as k from grid.grid_worker w join grid.grid_event e on e.reported_by = w.id`,
      query: 'query ($k: ID!) { r: gridEvent(id: $k) { reportedBy { SEL } } }',
    },
    'Visit.visitedBy': {
      target: () => `select w.id, w.grid_code as code, null as "caseNo", v.grid_code as k from grid.grid_worker w join grid.visit v on v.visited_by = w.id`,
      query: 'query ($k: String!) { r: grid(code: $k) { visits(first: 100) { edges { node { visitedBy { SEL } } } } } }',
    },
  },
  Volunteer: {
    'Query.volunteers': {
      target: () => `select v.id, v.district_code as code, null as "caseNo", v.district_code as k from grid.volunteer v`,
      query: 'query ($k: String!) { r: volunteers(districtCode: $k, first: 100) { edges { node { SEL } } } }',
    },
  },
  AuxiliaryOfficer: {
    'Query.auxiliaryOfficers': {
      target: () => `select a.id, a.township_code as code, null as "caseNo", a.township_code as k from police.auxiliary_officer a`,
      query: 'query ($k: String!) { r: auxiliaryOfficers(divisionCode: $k, first: 100) { edges { node { SEL } } } }',
    },
  },
  PetitionPerson: {
    'Query.petitionPerson': {
      target: () => `select x.ryid::text as id, ${petitionerCode} as code, null as "caseNo", x.ryid::text as k from xf.xf_person x`,
      query: 'query ($k: ID!) { r: petitionPerson(ryid: $k) { SEL } }',
    },
    'Query.petitionPersons': {
      target: () =>
        `select x.ryid::text as id, ${petitionerCode} as code, null as "caseNo" from xf.xf_person x where x.ryid = (select min(ryid) from xf.xf_person)`,
      query: 'query { r: petitionPersons(first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'Person.petitionPersons': {
      target: () =>
        `select x.ryid::text as id, g.grid_code as code, null as "caseNo", g.id as k from xf.xf_person x join grid.person g on g.id_number = x.sfzh`,
      query: 'query ($k: ID!) { r: person(id: $k) { petitionPersons { SEL } } }',
    },
    'PetitionCase.petitionPerson': {
      target: () =>
        `select x.ryid::text as id, ${petitionerCode} as code, null as "caseNo", c.xfjbh as k from xf.xf_person x join xf.xf_case c on c.ryid = x.ryid`,
      query: 'query ($k: ID!) { r: petitionCase(xfjbh: $k) { petitionPerson { SEL } } }',
    },
  },
  PetitionCase: {
    'Query.petitionCase': {
      target: () => `select c.xfjbh as id, c.wgdm as code, null as "caseNo", c.xfjbh as k from xf.xf_case c`,
      query: 'query ($k: ID!) { r: petitionCase(xfjbh: $k) { SEL } }',
    },
    'Query.petitionCases': {
      target: () => `select c.xfjbh as id, c.wgdm as code, null as "caseNo" from xf.xf_case c where c.xfjbh = (select min(xfjbh) from xf.xf_case)`,
      query: 'query { r: petitionCases(first: 100) { edges { node { SEL } } } }',
      list: true,
    },
    'GridEvent.petitionCases': {
      target: () => `select c.xfjbh as id, c.wgdm as code, null as "caseNo", c.wgsjbh as k from xf.xf_case c where c.wgsjbh is not null`,
      query: 'query ($k: ID!) { r: gridEvent(id: $k) { petitionCases { SEL } } }',
    },
    'PetitionPerson.petitionCases': {
      target: () => `select c.xfjbh as id, c.wgdm as code, null as "caseNo", c.ryid::text as k from xf.xf_case c`,
      query: 'query ($k: ID!) { r: petitionPerson(ryid: $k) { petitionCases { SEL } } }',
    },
    // 访调对接: the petition a referral brought to a mediation (the demo's referred petitions are in the bureau's fixture).
    'MediationCase.petition': {
      target: () =>
        `select c.xfjbh as id, c.wgdm as code, null as "caseNo", m.id as k from xf.xf_case c join justice.mediation_case m on m.petition_case_id = c.xfjbh`,
      query: 'query ($k: ID!) { r: mediationCase(id: $k) { petition { SEL } } }',
    },
  },
  HotlineTicket: {
    'Query.hotlineTicket': {
      target: () => ticket((k) => ({ k: k.gdbh })),
      query: 'query ($k: ID!) { r: hotlineTicket(gdbh: $k) { SEL } }',
    },
    'Query.hotlineTickets': {
      target: () => ticket((k) => ({ k: k.cbqx })),
      query: 'query ($k: String!) { r: hotlineTickets(districtCode: $k, first: 100) { SEL } }',
      list: true,
    },
  },
  Handoff: {
    'Query.handoff': {
      target: () => `${handoff} select h.id, h.scope_code as code, null as "caseNo", h.id as k from h where h.feedback is not null`,
      query: 'query ($k: ID!) { r: handoff(id: $k) { SEL } }',
    },
    // The inbox and the deadlines list what waits for the holding unit: the caller holds the district unit that holds it.
    'Query.inbox': {
      target: () => `${handoff} select h.id, h.holder_unit_code as code, null as "caseNo" from h where h.holder_agency is not null`,
      query: 'query { r: inbox(first: 100) { edges { node { SEL } } } }',
    },
    'Query.deadlines': {
      target: () =>
        `${handoff} select h.id, h.holder_unit_code as code, null as "caseNo" from h where h.holder_agency is not null and h.state in ('SENT', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED')`,
      query: 'query { r: deadlines(days: 366, first: 100) { edges { node { SEL } } } }',
    },
    'GridEvent.handoffs': handoffsOf('GridEvent', 'gridEvent(id: $k)', 'ID!'),
    'PoliceCase.handoffs': handoffsOf('PoliceCase', 'policeCase(caseNo: $k)', 'String!'),
    'ProsecutionCase.handoffs': handoffsOf('ProsecutionCase', 'prosecutionCase(caseNo: $k)', 'String!'),
    'CourtCase.handoffs': handoffsOf('CourtCase', 'courtCase(caseNo: $k)', 'String!'),
    'MediationCase.handoffs': handoffsOf('MediationCase', 'mediationCase(id: $k)', 'ID!'),
  },
  // A handoff's dispatch step (its text is the note), by its handoff.
  HandoffStep: {
    'Handoff.steps': {
      target: () => `${dispatchStep} select s.id, h.scope_code as code, null as "caseNo", h.id as k from s join workflow.handoff h on h.id = s.handoff_id`,
      query: 'query ($k: ID!) { r: handoff(id: $k) { steps { SEL } } }',
    },
    // The change feed of the receiving unit (a district unit).
    'InboxChanges.changes': {
      target: () => `${dispatchStep} select s.id, h.to_unit_code as code, null as "caseNo" from s join workflow.handoff h on h.id = s.handoff_id`,
      query: 'query { r: inboxChanges(first: 100) { changes { SEL } } }',
    },
  },
};

/** Handoffs in 连山区 (the demo's; the dev identities' district), text and all. */
const handoff = `with h as (select * from workflow.handoff where scope_code like '211402%')`;
/** A record's `handoffs`: a handoff about a record of the type, reached from the record's look-up (`$k` its key). */
function handoffsOf(subjectType: string, lookup: string, keyType: string): PathRecipe {
  return {
    target: () => `${handoff} select h.id, h.scope_code as code, null as "caseNo", h.subject_key as k from h where h.subject_type = '${subjectType}'`,
    query: `query ($k: ${keyType}) { r: ${lookup} { handoffs { SEL } } }`,
  };
}
/** The dispatch step of each handoff, by handoff and step. */
const dispatchStep = `with s as (select handoff_id || '|' || step as id, handoff_id from workflow.handoff_step where step = 'dispatch')`;

/** Participants alone in their role in their case (a case's participant is known by case and role). */
const participant = `with p as (select * from police.case_participant q where (select count(*) from police.case_participant o where o.case_no = q.case_no and o.role = q.role) = 1)`;
/** The case a legal aid application serves, when it serves one (the police case of a juvenile suspect's defence). */
const legalAidCase = 'l.police_case_no';
/** Where a petitioner lives, when the registry knows them (the register itself has no division code). */
const petitionerCode = `coalesce((select g.grid_code from grid.person g where g.id_number = x.sfzh), '211402')`;

/** The first 12345 work order of the hotline's API (its dev stand-in) carrying a district. */
async function ticket(vars: (k: { gdbh: string; cbqx: string }) => Record<string, string>) {
  const tickets = (await (await fetch(`${hotlineApi.baseUrl}/tickets?limit=50`)).json()) as Array<{ gdbh: string; cbqx: string }>;
  const first = tickets.find((k) => k.cbqx);
  return first ? [{ id: first.gdbh, code: first.cbqx, caseNo: null, ...vars(first) }] : [];
}

/** How each type without a look-up by key is identified and which path is its reference. */
const WALKS: Record<string, TypeWalk> = {
  CaseParticipant: {
    reference: 'PoliceCase.participants',
    identity: { select: ['role', 'policeCase { caseNo }'], of: (o) => `${(o.policeCase as { caseNo?: string } | null)?.caseNo}|${o.role as string}` },
  },
  LegalAidCase: { reference: 'Person.legalAid' },
  // A correction's entries and members have no id: known by kind and day, by role (one of each in a file, a group).
  CorrectionEvent: { identity: { select: ['kind', 'occurredOn'], of: (o) => `${o.kind as string}|${o.occurredOn as string}` } },
  CorrectionGroupMember: { identity: { select: ['role'], of: (o) => o.role as string | undefined } },
  PreLitigationMediationCase: { reference: 'Query.preLitigationMediationCase', identity: { select: ['caseNo'], of: (o) => o.caseNo as string } },
  HandoffStep: {
    reference: 'Handoff.steps',
    identity: { select: ['handoffId', 'step'], of: (o) => `${o.handoffId as string}|${o.step as string}` },
  },
  Mediator: { reference: 'MediationPoint.mediators' },
  Volunteer: { reference: 'Query.volunteers' },
};

describe('path test: every path to every record with sensitive fields gives the decision of its look-up', () => {
  it('takes the types from the policy file, and has a recipe for every path the graph offers to each', () => {
    expect(TYPES.length).toBeGreaterThan(10);
    const missing = TYPES.flatMap((type) =>
      pathsTo(type)
        .filter((p) => !R[type]?.[p] && !NOT_A_PATH[p])
        .map((p) => `${type} via ${p}`),
    );
    expect(missing).toEqual([]);
  });

  let walked = 0;
  let combinations = 0;
  let unavailable = 0;
  const skipped: string[] = [];
  afterAll(() => {
    process.stdout.write(
      `record path test: ${walked} path × agency × role × jurisdiction × purpose × seal combinations walked, ${combinations} reached the record and compared, ${unavailable} case checks unanswered in time; no record for ${skipped.join(', ') || 'none'}\n`,
    );
  });

  describe.each(TYPES)('%s', (type) => {
    it.each(Object.keys(R[type] ?? {}))(
      '%s',
      async (path) => {
        const result = await walkPath(t, policy, { type, path, recipe: R[type][path], walk: WALKS[type] ?? {}, recipes: R[type], agencies: AGENCIES });
        walked += result.walked;
        combinations += result.compared;
        unavailable += result.unavailable;
        skipped.push(...result.skipped);
        expect(result.mismatches).toEqual([]);
        // A recipe that never reaches its record proves nothing.
        expect({ path, reached: result.reached > 0 }).toEqual({ path, reached: true });
      },
      300_000,
    );
  });
});
