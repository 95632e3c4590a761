/**
 * The deterministic demo city: one plan that every department's seed reads its own part from, so
 * the same people and case numbers appear across departments without any department reading
 * another's tables. Everything here is plain data; keys are the ones the graph links by.
 */

export type DivisionLevel = 'CITY' | 'COUNTY' | 'TOWNSHIP';

export interface DemoDivision {
  /** 6 digits for the city (ending in 00) or a county-level district (县区), 9 for a township (乡镇街道). */
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export interface DemoGrid {
  /** 12 digits: township code + 3-digit grid number. */
  code: string;
  name: string;
  townshipCode: string;
  districtCode: string;
  /** Village or residential community (村/社区) the grid covers. */
  village: string;
  workerId: string;
}

export interface DemoGridWorker {
  /** Also the token subject (`sub`) of this grid worker, e.g. `gw-211402001001`. */
  id: string;
  name: string;
  phone: string;
  gridCode: string;
}

export type HouseholdStatus = 'REGISTERED' | 'FLOATING';

export interface DemoPerson {
  idNumber: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  phone: string;
  /** Full address: city, district, township, village/community, then the house. */
  address: string;
  householdStatus: HouseholdStatus;
  /** Lives in rental housing (出租房屋), managed together with the floating population. */
  rentalHousing: boolean;
  gridCode: string;
}

export interface DemoVolunteer {
  id: string;
  name: string;
  phone: string;
  groupName: string;
  districtCode: string;
  serviceHours: number;
}

export type GridEventKind = 'DISPUTE' | 'HAZARD' | 'PUBLIC_ORDER' | 'SERVICE_REQUEST';
export type GridEventStatus = 'REPORTED' | 'IN_PROGRESS' | 'RESOLVED' | 'REFERRED';

export interface DemoGridEvent {
  /** e.g. `GE2025000123`. */
  id: string;
  kind: GridEventKind;
  title: string;
  description: string;
  status: GridEventStatus;
  gridCode: string;
  reportedBy: string;
  /** ISO timestamp. */
  reportedAt: string;
  involvedIdNumbers: string[];
}

export type MediationPointKind = 'VILLAGE_TALK_POINT' | 'RESIDENT_TALK_POINT' | 'PERSONAL_MEDIATION_ROOM' | 'NON_LITIGATION_CENTER';

export interface DemoMediationPoint {
  id: string;
  name: string;
  kind: MediationPointKind;
  townshipCode: string;
  districtCode: string;
}

export interface DemoMediator {
  id: string;
  name: string;
  phone: string;
  pointId: string;
}

/** Where a people's mediation case came from (the justice bureau's `MediationSource`). */
export type DemoMediationSource = 'GRID_EVENT' | 'POLICE_REFERRAL' | 'PETITION_REFERRAL';

/** A dispute's path: grid event, 110 call or petition → mediation → (court confirmation | lawsuit | nothing). */
export interface DemoDisputeChain {
  source: DemoMediationSource;
  /** The grid event of a dispute a grid worker reported; null for a referral. */
  gridEventId: string | null;
  /** The police incident (JQ…) of a 警调对接 referral. */
  incidentId: string | null;
  /** The petition of a 访调对接 referral: the bureau's number, the day it came in and what it is about. */
  petition: { caseId: string; filedOn: string; cause: string } | null;
  mediationId: string;
  pointId: string;
  mediatorId: string;
  partyIdNumbers: string[];
  startedOn: string;
  outcome: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  agreement: string | null;
  closedOn: string | null;
  /** 民特 judicial confirmation of a successful agreement, e.g. `(2025)辽1402民特12号`. */
  confirmationCaseNo: string | null;
  /** 民初 civil lawsuit after a failed mediation. */
  lawsuitCaseNo: string | null;
  courtCode: string;
}

export type PoliceCaseStage = 'FILED' | 'INVESTIGATING' | 'TRANSFERRED' | 'CLOSED';

/** A criminal case's path: incident → police case → arrest/prosecution review → trial → corrections. */
export interface DemoCriminalChain {
  incidentId: string;
  policeCaseNo: string;
  charge: string;
  districtCode: string;
  gridCode: string;
  occurredAt: string;
  filedOn: string;
  suspectIdNumbers: string[];
  victimIdNumbers: string[];
  witnessIdNumbers: string[];
  /** Sub of the investigating officer (a police token's `sub`). */
  officerId: string;
  stage: PoliceCaseStage;
  /**
   * The criminal record is sealed (刑事诉讼法 art. 286): committed under 18, and the case ended
   * without prosecution (不起诉, decided by the procuratorate) or with a sentence of at most five
   * years (decided by the court). Every department's record of the case carries the same seal.
   */
  sealed: boolean;
  /** The people's mediation (MC…) whose dispute escalated into this case (民转刑): set on the demo's deliberate escalations only (src/demo/civilToCriminal.ts). */
  escalatedFrom: string | null;
  /** Set when transferred for prosecution. */
  prosecution: null | {
    /**
     * The review of the police's request to arrest (审查逮捕), where there was one: the police ask
     * for about half of the suspects they transfer, never for an offence below 有期徒刑
     * (刑事诉讼法 art. 81); the others are transferred on bail (取保候审).
     */
    arrestReview: null | { caseNo: string; decision: 'APPROVED' | 'NOT_APPROVED'; decidedOn: string };
    prosecutionCaseNo: string;
    receivedOn: string;
    decision: 'PROSECUTE' | 'NOT_PROSECUTE' | 'PENDING';
    decidedOn: string | null;
    prosecutorId: string;
  };
  /** Set when prosecuted and tried. */
  trial: null | {
    courtCaseNo: string;
    courtCode: string;
    filedOn: string;
    juvenile: boolean;
    hearingOn: string;
    judgedOn: string | null;
    verdict: 'GUILTY' | 'NOT_GUILTY' | null;
    sentenceMonths: number | null;
    probation: boolean;
    /** 管制 (public surveillance, 刑法 art. 38) rather than a prison term: served in the community like probation. */
    publicSurveillance: boolean;
    judgeId: string;
    /** The justice bureau's pre-sentence assessment (调查评估) the court commissioned, if any. */
    assessment: null | DemoPreSentenceAssessment;
  };
  /** Set when the sentence is served in the community (社区矫正). */
  correction: null | {
    id: string;
    startOn: string;
    endOn: string;
    status: 'ACTIVE' | 'COMPLETED';
    officerId: string;
    kind: DemoCorrectionKind;
    /** The day the person reported (报到), within 10 days of the start (社区矫正法 art. 21). */
    reportedOn: string;
    /** The file: the report, warnings, the release of an ended correction; in date order. */
    events: Array<{ kind: 'REPORTED' | 'WARNING' | 'RELEASE'; occurredOn: string; reason: string | null; officerId: string }>;
    /** The correction group (矫正小组). */
    group: Array<{ role: DemoCorrectionGroupRole; name: string }>;
  };
}

/** The sentence a community correction executes (社区矫正法 art. 2). */
export type DemoCorrectionKind = 'PROBATION' | 'PAROLE' | 'TEMPORARY_OUTSIDE_EXECUTION' | 'PUBLIC_SURVEILLANCE';
export type DemoCorrectionGroupRole = 'JUSTICE_OFFICE' | 'RESIDENTS_COMMITTEE' | 'EMPLOYER_OR_SCHOOL' | 'FAMILY' | 'GUARDIAN' | 'SOCIAL_WORKER' | 'VOLUNTEER';

/** 调查评估 (社区矫正法 art. 18): whether a defendant is suitable for a community sentence, answered before the hearing. */
export interface DemoPreSentenceAssessment {
  id: string;
  suitable: boolean;
  opinion: string;
  answeredOn: string;
  officerId: string;
  districtCode: string;
}

/** Incidents (警情) that never become a case. */
export interface DemoIncident {
  id: string;
  kind: string;
  summary: string;
  districtCode: string;
  gridCode: string;
  reportedAt: string;
  reporterIdNumber: string | null;
}

export interface DemoAuxiliaryOfficer {
  id: string;
  name: string;
  phone: string;
  village: string;
  gridCode: string;
  townshipCode: string;
}

export interface DemoEnforcementCase {
  caseNo: string;
  courtCode: string;
  applicantIdNumber: string;
  respondentIdNumber: string;
  amountYuan: number;
  filedOn: string;
  status: 'OPEN' | 'CONCLUDED';
}

export interface DemoLegalAid {
  id: string;
  /** The police case a juvenile suspect's defence serves (its seal covers this record too); null for other matters. */
  policeCaseNo: string | null;
  applicantIdNumber: string;
  matter: string;
  appliedOn: string;
  status: 'APPROVED' | 'REJECTED' | 'PENDING';
  districtCode: string;
}

export interface DemoCity {
  seed: number;
  /** The days its records fall in (the demo's default history, or `historyMonths` of the size). */
  period: { start: string; end: string };
  divisions: DemoDivision[];
  grids: DemoGrid[];
  gridWorkers: DemoGridWorker[];
  persons: DemoPerson[];
  volunteers: DemoVolunteer[];
  gridEvents: DemoGridEvent[];
  mediationPoints: DemoMediationPoint[];
  mediators: DemoMediator[];
  disputes: DemoDisputeChain[];
  incidents: DemoIncident[];
  criminalChains: DemoCriminalChain[];
  auxiliaryOfficers: DemoAuxiliaryOfficer[];
  enforcementCases: DemoEnforcementCase[];
  legalAid: DemoLegalAid[];
}

/**
 * The demo city as a pure function of its records: the same city with every `DemoPerson` in
 * memory (`DemoCity`), or streamed by `DemoCityPlan`, whose large lists are iterables. A
 * department's seed reads this.
 */
export interface DemoCitySource {
  readonly seed: number;
  readonly period: { readonly start: string; readonly end: string };
  readonly divisions: readonly DemoDivision[];
  readonly grids: readonly DemoGrid[];
  readonly gridWorkers: readonly DemoGridWorker[];
  /** Possibly a single-pass stream: iterate it once, before the lists below. */
  readonly persons: Iterable<DemoPerson>;
  readonly volunteers: readonly DemoVolunteer[];
  readonly gridEvents: readonly DemoGridEvent[];
  readonly mediationPoints: readonly DemoMediationPoint[];
  readonly mediators: readonly DemoMediator[];
  readonly disputes: readonly DemoDisputeChain[];
  readonly incidents: readonly DemoIncident[];
  readonly criminalChains: readonly DemoCriminalChain[];
  readonly auxiliaryOfficers: readonly DemoAuxiliaryOfficer[];
  readonly enforcementCases: readonly DemoEnforcementCase[];
  readonly legalAid: readonly DemoLegalAid[];
  /** Grid code of a resident by ID number, where the persons are not kept to look it up. */
  residence?(idNumber: string): string | undefined;
}

export interface DemoCitySize {
  townshipsPerDistrict: number;
  /** Grids of each township, unless `grids` is given. */
  gridsPerTownship: number;
  personsPerGrid: number;
  volunteersPerDistrict: number;
  disputes: number;
  criminalChains: number;
  extraIncidents: number;
  enforcementCases: number;
  legalAid: number;
  /** Total grids, spread over the townships (the first ones get one more); overrides `gridsPerTownship`. */
  grids?: number;
  /** Grids sharing one village or community (default 1: a grid per locality). */
  gridsPerLocality?: number;
  /** A talk point (评理说事点) in every village and community instead of one per township. */
  talkPointPerLocality?: boolean;
  /** Personal mediation rooms in each district that has them (default 1). */
  personalRoomsPerDistrict?: number;
  /** Grid events other than disputes (default: 1.5 per dispute). */
  otherGridEvents?: number;
  /**
   * Months of history up to the demo's end, 12–120 (default 23: 2025-01 … 2026-11). The volumes
   * above are for the whole period: `withHistory` (scale.ts) scales them with it.
   */
  historyMonths?: number;
}
