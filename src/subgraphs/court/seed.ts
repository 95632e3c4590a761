import { DEMO_PERIOD_END, residenceOf } from '../../demo/city';
import { allot } from '../../demo/allotment';
import { addDays, maxDate, minDate } from '../../demo/dates';
import { Random } from '../../demo/random';
import type { DemoCitySource, DemoCriminalChain, DemoDisputeChain, DemoEnforcementCase } from '../../demo/types';
import { eachMany } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import { courtUnitCode } from '../../shared/orgUnits';
import { personKey } from '../../shared/personKey';
import { INTERMEDIATE_COURT_CODE } from '../../shared/huludao';
import { APPEAL_PERIOD_DAYS, APPEALABLE_VERDICTS, appealCase, appealTypeOf } from './appeals';
import {
  AppealOutcome,
  Appellant,
  CommunitySentence,
  CourtCase,
  CourtCaseKind,
  CourtCaseStatus,
  CourtParty,
  CourtPartyRole,
  Hearing,
  HearingKind,
  PreLitigationMediationOutcome,
  Verdict,
} from './entities';
import { districtOfCourt } from './keys';
import { preLitigationOf } from '../../demo/preLitigation';
import { PreLitigationMediationCase, PreLitigationStatus } from './preLitigation';

/** One court case of the demo city, with its parties (by ID number) and hearings. */
export interface CourtCaseRecord {
  caseNo: string;
  kind: CourtCaseKind;
  courtCode: string;
  districtCode: string;
  townshipCode: string;
  unitCode: string;
  filedOn: string;
  concludedOn: string | null;
  sealed: boolean;
  status: CourtCaseStatus;
  judgeId: string;
  cause: string | null;
  amountYuan: number | null;
  prosecutionCaseNo: string | null;
  mediationCaseId: string | null;
  verdict: Verdict | null;
  sentenceMonths: number | null;
  probation: boolean | null;
  communitySentence: CommunitySentence | null;
  preLitigationStartedOn: string | null;
  preLitigationEndedOn: string | null;
  preLitigationOutcome: PreLitigationMediationOutcome | null;
  appealOfCaseNo: string | null;
  appellant: Appellant | null;
  appealOutcome: AppealOutcome | null;
  parties: Array<{ idNumber: string; role: CourtPartyRole }>;
  hearings: Array<{ kind: HearingKind; heldOn: string; courtroom: string }>;
}

const COURTROOMS = ['第一法庭', '第二法庭', '第三法庭', '第四法庭', '第五法庭', '第六法庭'];
const JUVENILE_COURTROOM = '少年法庭';
const MEDIATION_ROOM = '调解室';
const CONFIRMATION_CAUSE = '申请司法确认调解协议';

/**
 * The court's part of the demo city. The plan states criminal trials and enforcement cases in full;
 * for the 民特 and 民初 numbers of disputes it gives only the number, so the court's side of those
 * (filing day, hearings, ruling, pre-litigation mediation) is drawn here from a stream per case
 * number: deterministic, and inside the demo period.
 */
export function courtCasesOf(city: DemoCitySource): CourtCaseRecord[] {
  const residence = residenceOf(city);
  const disputeTitle = new Map(city.gridEvents.map((e) => [e.id, e.title]));
  const rngOf = (caseNo: string) => new Random(city.seed).fork(`court/${caseNo}`);
  const township = (idNumber: string): string => {
    const grid = residence(idNumber);
    if (!grid) throw new Error(`demo city has no resident ${idNumber.slice(0, 6)}…`);
    return grid.slice(0, 9);
  };
  const cases: CourtCaseRecord[] = [];
  for (const chain of city.criminalChains) if (chain.trial) cases.push(criminalCase(chain, rngOf(chain.trial.courtCaseNo)));
  for (const dispute of city.disputes) {
    const home = township(dispute.partyIdNumbers[0]);
    if (dispute.confirmationCaseNo) cases.push(confirmationCase(dispute, dispute.confirmationCaseNo, home, rngOf(dispute.confirmationCaseNo)));
    if (dispute.lawsuitCaseNo) {
      const cause = (dispute.gridEventId && disputeTitle.get(dispute.gridEventId)) ?? null;
      cases.push(lawsuitCase(dispute, dispute.lawsuitCaseNo, home, cause, rngOf(dispute.lawsuitCaseNo)));
    }
  }
  decideLawsuits(
    cases.filter((c) => c.kind === CourtCaseKind.CIVIL && c.status === CourtCaseStatus.CONCLUDED),
    new Random(city.seed).fork('court/civil-verdicts'),
  );
  for (const enforcement of city.enforcementCases) {
    cases.push(enforcementCase(enforcement, township(enforcement.respondentIdNumber), rngOf(enforcement.caseNo)));
  }
  // Drawn last, from a stream of their own: every case above is as it was without them.
  cases.push(...appealsOf(cases, new Random(city.seed).fork('appeals')));
  return cases.sort((x, y) => (x.filedOn !== y.filedOn ? (x.filedOn < y.filedOn ? -1 : 1) : x.caseNo < y.caseNo ? -1 : 1));
}

/**
 * How the concluded 民初 cases ended, allotted by share so that even the small demo city has each
 * kind: about a third of civil first-instance cases conclude by court mediation (调解结案; the
 * national rate has stayed near 30–35 % since 2002, docs/analytics.md), the rest by judgment.
 */
function decideLawsuits(concluded: CourtCaseRecord[], rng: Random): void {
  const verdicts = allot(rng, concluded.length, [
    [Verdict.MEDIATED, 0.35],
    [Verdict.CLAIM_UPHELD, 0.3],
    [Verdict.CLAIM_PARTLY_UPHELD, 0.25],
    [Verdict.CLAIM_DISMISSED, 0.1],
  ] as const);
  concluded.forEach((c, i) => {
    c.verdict = verdicts[i];
  });
}

type Common = Pick<CourtCaseRecord, 'caseNo' | 'kind' | 'courtCode' | 'townshipCode' | 'filedOn' | 'judgeId'>;

/** A case with the fields most kinds leave empty set to their empty values. */
function record(common: Common, rest: Partial<CourtCaseRecord>): CourtCaseRecord {
  const districtCode = districtOfCourt(common.courtCode);
  return {
    ...common,
    districtCode,
    unitCode: courtUnitCode(common.kind, districtCode, common.townshipCode),
    concludedOn: null,
    sealed: false,
    status: CourtCaseStatus.FILED,
    cause: null,
    amountYuan: null,
    prosecutionCaseNo: null,
    mediationCaseId: null,
    verdict: null,
    sentenceMonths: null,
    probation: null,
    communitySentence: null,
    preLitigationStartedOn: null,
    preLitigationEndedOn: null,
    preLitigationOutcome: null,
    appealOfCaseNo: null,
    appellant: null,
    appealOutcome: null,
    parties: [],
    hearings: [],
    ...rest,
  };
}

function judgeOf(rng: Random, courtCode: string): string {
  return `ju-${districtOfCourt(courtCode)}-${String(rng.int(1, 6)).padStart(3, '0')}`;
}

/** Within the year of the case number (numbers restart every year) and within the demo period. */
function filingDay(caseNo: string, day: string): string {
  const year = caseNo.slice(1, 5);
  return minDate(minDate(maxDate(day, `${year}-01-01`), `${year}-12-31`), DEMO_PERIOD_END);
}

const happened = (day: string): boolean => day <= DEMO_PERIOD_END;

function criminalCase(chain: DemoCriminalChain, rng: Random): CourtCaseRecord {
  const trial = chain.trial!;
  const courtroom = trial.juvenile ? JUVENILE_COURTROOM : rng.pick(COURTROOMS);
  const hearings = [{ kind: HearingKind.TRIAL, heldOn: trial.hearingOn, courtroom }];
  // Judgment pronounced at the end of the trial (当庭宣判) needs no second session.
  if (trial.judgedOn && trial.judgedOn > trial.hearingOn) hearings.push({ kind: HearingKind.PRONOUNCEMENT, heldOn: trial.judgedOn, courtroom });
  const verdict = trial.verdict === null ? null : Verdict[trial.verdict];
  return record(
    {
      caseNo: trial.courtCaseNo,
      kind: CourtCaseKind.CRIMINAL,
      courtCode: trial.courtCode,
      townshipCode: chain.gridCode.slice(0, 9),
      filedOn: trial.filedOn,
      judgeId: trial.judgeId,
    },
    {
      // Art. 286: records of offences committed under 18 and punished with at most five years are sealed.
      sealed: chain.sealed,
      status: trial.judgedOn ? CourtCaseStatus.CONCLUDED : happened(trial.hearingOn) ? CourtCaseStatus.HEARD : CourtCaseStatus.FILED,
      concludedOn: trial.judgedOn,
      cause: chain.charge,
      prosecutionCaseNo: chain.prosecution!.prosecutionCaseNo,
      verdict,
      sentenceMonths: trial.sentenceMonths,
      probation: verdict === Verdict.GUILTY ? trial.probation : null,
      // 管制 is said as such; probation stays the `probation` flag the demo's judgments always had.
      communitySentence: verdict === Verdict.GUILTY && trial.publicSurveillance ? CommunitySentence.PUBLIC_SURVEILLANCE : null,
      parties: [
        ...chain.suspectIdNumbers.map((idNumber) => ({ idNumber, role: CourtPartyRole.DEFENDANT })),
        ...chain.victimIdNumbers.map((idNumber) => ({ idNumber, role: CourtPartyRole.VICTIM })),
      ],
      hearings,
    },
  );
}

/** 民特: both parties apply within 30 days of the agreement; the court questions them and rules within 15 days of filing. */
function confirmationCase(dispute: DemoDisputeChain, caseNo: string, townshipCode: string, rng: Random): CourtCaseRecord {
  const filedOn = filingDay(caseNo, addDays(dispute.closedOn!, rng.int(1, 25)));
  const inquiryOn = addDays(filedOn, rng.int(1, 5));
  const ruledOn = addDays(inquiryOn, rng.int(0, 10));
  const ruled = happened(ruledOn);
  return record(
    { caseNo, kind: CourtCaseKind.SPECIAL_PROCEDURE, courtCode: dispute.courtCode, townshipCode, filedOn, judgeId: judgeOf(rng, dispute.courtCode) },
    {
      status: ruled ? CourtCaseStatus.CONCLUDED : happened(inquiryOn) ? CourtCaseStatus.HEARD : CourtCaseStatus.FILED,
      concludedOn: ruled ? ruledOn : null,
      cause: CONFIRMATION_CAUSE,
      mediationCaseId: dispute.mediationId,
      verdict: ruled ? Verdict.CONFIRMED : null,
      parties: dispute.partyIdNumbers.map((idNumber) => ({ idNumber, role: CourtPartyRole.APPLICANT })),
      hearings: happened(inquiryOn) ? [{ kind: HearingKind.INQUIRY, heldOn: inquiryOn, courtroom: MEDIATION_ROOM }] : [],
    },
  );
}

/**
 * 民初 after a failed people's mediation: the complaint first goes to the court's pre-litigation
 * mediation, which fails in every demo lawsuit (else there would be no lawsuit), and the case is
 * filed the day it ends; then a trial within two months and a judgment or court mediation (`decideLawsuits`).
 */
function lawsuitCase(dispute: DemoDisputeChain, caseNo: string, townshipCode: string, cause: string | null, rng: Random): CourtCaseRecord {
  const closedOn = dispute.closedOn!;
  const filedOn = filingDay(caseNo, addDays(closedOn, rng.int(5, 60)));
  const preLitigationStartedOn = minDate(addDays(closedOn, rng.int(1, 10)), filedOn);
  const hearingOn = addDays(filedOn, rng.int(20, 60));
  const judgedOn = addDays(hearingOn, rng.int(0, 20));
  const judged = happened(judgedOn);
  return record(
    { caseNo, kind: CourtCaseKind.CIVIL, courtCode: dispute.courtCode, townshipCode, filedOn, judgeId: judgeOf(rng, dispute.courtCode) },
    {
      status: judged ? CourtCaseStatus.CONCLUDED : happened(hearingOn) ? CourtCaseStatus.HEARD : CourtCaseStatus.FILED,
      concludedOn: judged ? judgedOn : null,
      cause,
      mediationCaseId: dispute.mediationId,
      preLitigationStartedOn,
      preLitigationEndedOn: filedOn,
      preLitigationOutcome: PreLitigationMediationOutcome.FAILED,
      parties: [
        { idNumber: dispute.partyIdNumbers[0], role: CourtPartyRole.PLAINTIFF },
        { idNumber: dispute.partyIdNumbers[1], role: CourtPartyRole.DEFENDANT },
      ],
      hearings: happened(hearingOn) ? [{ kind: HearingKind.TRIAL, heldOn: hearingOn, courtroom: rng.pick(COURTROOMS) }] : [],
    },
  );
}

/** 执: concluded ones took up to the legal six months, never past the end of the period. */
function enforcementCase(enforcement: DemoEnforcementCase, townshipCode: string, rng: Random): CourtCaseRecord {
  const { caseNo, courtCode, filedOn } = enforcement;
  const concluded = enforcement.status === 'CONCLUDED';
  return record(
    { caseNo, kind: CourtCaseKind.ENFORCEMENT, courtCode, townshipCode, filedOn, judgeId: judgeOf(rng, courtCode) },
    {
      status: concluded ? CourtCaseStatus.CONCLUDED : CourtCaseStatus.FILED,
      concludedOn: concluded ? minDate(addDays(filedOn, rng.int(20, 180)), DEMO_PERIOD_END) : null,
      amountYuan: enforcement.amountYuan,
      parties: [
        { idNumber: enforcement.applicantIdNumber, role: CourtPartyRole.APPLICANT },
        { idNumber: enforcement.respondentIdNumber, role: CourtPartyRole.RESPONDENT },
      ],
    },
  );
}

/**
 * Shares of first-instance judgments appealed and of appeal outcomes: assumptions of the order of
 * the national figures (docs/domain.md, "Appeals"), allotted exactly so that the small city has
 * appeals of both kinds. No appeal of the demo is remanded: a remand sets the first-instance
 * judgment aside, and the other departments' demo rows (corrections, case flows) are built on it.
 */
const APPEAL_SHARE: Readonly<Partial<Record<CourtCaseKind, number>>> = { [CourtCaseKind.CRIMINAL]: 0.1, [CourtCaseKind.CIVIL]: 0.12 };
const APPEAL_OUTCOMES = [
  [AppealOutcome.UPHELD, 0.8],
  [AppealOutcome.AMENDED, 0.12],
  [AppealOutcome.WITHDRAWN, 0.08],
] as const;
/** Of criminal appeals of a guilty verdict, the share that are the procuratorate's protests (抗诉); an acquittal is always protested. */
const PROTEST_SHARE = 0.15;
/** Days from filing to decision: within the two months (criminal) or three (civil) of the second instance. */
const DECISION_DAYS: Readonly<Partial<Record<CourtCaseKind, readonly [number, number]>>> = {
  [CourtCaseKind.CRIMINAL]: [20, 58],
  [CourtCaseKind.CIVIL]: [30, 88],
};

/**
 * The appeals (二审) of the demo's first-instance judgments whose appeal period ended inside the
 * demo period. A criminal judgment served in the community (缓刑, 管制) is not appealed here: its
 * correction starts from the judgment in the demo, which an appeal would have held back.
 */
function appealsOf(cases: readonly CourtCaseRecord[], rng: Random): CourtCaseRecord[] {
  const drafts: Array<{ first: CourtCaseRecord; fields: Omit<Parameters<typeof appealCase>[1], 'caseNo'> }> = [];
  for (const kind of [CourtCaseKind.CRIMINAL, CourtCaseKind.CIVIL]) {
    const days = APPEAL_PERIOD_DAYS[kind]!;
    const judged = cases.filter((c) => c.kind === kind && c.verdict && APPEALABLE_VERDICTS.includes(c.verdict) && happened(addDays(c.concludedOn!, days)));
    const eligible = judged.filter((c) => !c.probation && !c.communitySentence);
    const count = Math.min(eligible.length, Math.max(1, Math.round(judged.length * APPEAL_SHARE[kind]!)));
    const chosen = rng.sample(eligible, count).sort((x, y) => (x.caseNo < y.caseNo ? -1 : 1));
    const outcomes = allot(rng, chosen.length, APPEAL_OUTCOMES);
    const [least, most] = DECISION_DAYS[kind]!;
    chosen.forEach((first, i) => {
      const filedOn = addDays(first.concludedOn!, rng.int(1, days));
      const decidedOn = addDays(filedOn, rng.int(least, most));
      const decided = happened(decidedOn);
      const protested = first.verdict === Verdict.NOT_GUILTY || rng.chance(PROTEST_SHARE);
      drafts.push({
        first,
        fields: {
          filedOn,
          judgeId: judgeOf(rng, INTERMEDIATE_COURT_CODE),
          status: decided ? CourtCaseStatus.CONCLUDED : CourtCaseStatus.FILED,
          concludedOn: decided ? decidedOn : null,
          appellant: kind === CourtCaseKind.CIVIL ? Appellant.PARTY : protested ? Appellant.PROSECUTION : Appellant.DEFENDANT,
          appealOutcome: decided ? outcomes[i] : null,
        },
      });
    });
  }
  // Numbered per year and type in filing order, as a court's register (the live ones come from the sequence, from 500000).
  drafts.sort((x, y) => (x.fields.filedOn !== y.fields.filedOn ? (x.fields.filedOn < y.fields.filedOn ? -1 : 1) : x.first.caseNo < y.first.caseNo ? -1 : 1));
  const serials = new Map<string, number>();
  return drafts.map(({ first, fields }) => {
    const prefix = `(${fields.filedOn.slice(0, 4)})${INTERMEDIATE_COURT_CODE}${appealTypeOf(first.kind)}`;
    serials.set(prefix, (serials.get(prefix) ?? 0) + 1);
    const row = appealCase(first, { ...fields, caseNo: `${prefix}${serials.get(prefix)}号` });
    return record(
      { caseNo: row.caseNo, kind: row.kind, courtCode: row.courtCode, townshipCode: row.townshipCode, filedOn: row.filedOn, judgeId: row.judgeId },
      row,
    );
  });
}

/** The court's part of the demo city: criminal trials, judicial confirmations, lawsuits and enforcement cases. */
export function seedCourt(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  let planned: CourtCaseRecord[] | undefined;
  const cases = () => (planned ??= courtCasesOf(city));
  return [
    seedTable(CourtCase, () => cases().map(({ parties: _parties, hearings: _hearings, ...row }) => row)),
    seedTable(CourtParty, () => eachMany(cases(), (c) => c.parties.map((p) => ({ caseNo: c.caseNo, personId: key(p.idNumber), role: p.role })))),
    seedTable(Hearing, () => eachMany(cases(), (c) => c.hearings.map((h) => ({ caseNo: c.caseNo, ...h })))),
    seedTable(PreLitigationMediationCase, () =>
      preLitigationOf(city).map(({ applicantIdNumber, respondentIdNumber, status, ...row }) => ({
        ...row,
        applicantId: key(applicantIdNumber),
        respondentId: key(respondentIdNumber),
        status: PreLitigationStatus[status],
        confirmationCaseNo: null,
        lawsuitCaseNo: null,
      })),
    ),
  ];
}
