import { DateType, DecimalType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';
import { UnitColumn } from '../../kit/orgUnit';

/** Case type, the part of the case number after the court code. */
export enum CourtCaseKind {
  /** 刑初: criminal, first instance. */
  CRIMINAL = 'CRIMINAL',
  /** 民初: civil, first instance. */
  CIVIL = 'CIVIL',
  /** 执: enforcement of a judgment or other enforceable title. */
  ENFORCEMENT = 'ENFORCEMENT',
  /** 民特: special procedure, here judicial confirmation (司法确认) of a mediation agreement. */
  SPECIAL_PROCEDURE = 'SPECIAL_PROCEDURE',
  /** 刑终: criminal appeal or protest (上诉, 抗诉), second instance at the intermediate court. */
  CRIMINAL_APPEAL = 'CRIMINAL_APPEAL',
  /** 民终: civil appeal, second instance at the intermediate court. */
  CIVIL_APPEAL = 'CIVIL_APPEAL',
}
/** Which instance a case is: derived from its kind (the type code of its number), not stored. */
export enum CourtInstance {
  FIRST = 'FIRST',
  SECOND = 'SECOND',
}
/** Who appealed a first-instance judgment. */
export enum Appellant {
  /** 上诉 by the defendant (被告人), 刑事诉讼法 art. 227. */
  DEFENDANT = 'DEFENDANT',
  /** 抗诉 by the procuratorate of the same level, 刑事诉讼法 art. 228. */
  PROSECUTION = 'PROSECUTION',
  /** 上诉 by a party (当事人) to a civil judgment, 民事诉讼法 art. 171. */
  PARTY = 'PARTY',
}
/** How the second instance decided (刑事诉讼法 art. 236, 民事诉讼法 art. 177), or the appeal withdrawn. */
export enum AppealOutcome {
  UPHELD = 'UPHELD',
  AMENDED = 'AMENDED',
  REMANDED = 'REMANDED',
  WITHDRAWN = 'WITHDRAWN',
}
export enum CourtCaseStatus {
  FILED = 'FILED',
  HEARD = 'HEARD',
  CONCLUDED = 'CONCLUDED',
}
export enum CourtPartyRole {
  DEFENDANT = 'DEFENDANT',
  PLAINTIFF = 'PLAINTIFF',
  APPLICANT = 'APPLICANT',
  RESPONDENT = 'RESPONDENT',
  VICTIM = 'VICTIM',
}
export enum Verdict {
  GUILTY = 'GUILTY',
  NOT_GUILTY = 'NOT_GUILTY',
  CLAIM_UPHELD = 'CLAIM_UPHELD',
  CLAIM_PARTLY_UPHELD = 'CLAIM_PARTLY_UPHELD',
  CLAIM_DISMISSED = 'CLAIM_DISMISSED',
  MEDIATED = 'MEDIATED',
  CONFIRMED = 'CONFIRMED',
}
export enum HearingKind {
  TRIAL = 'TRIAL',
  PRONOUNCEMENT = 'PRONOUNCEMENT',
  INQUIRY = 'INQUIRY',
}
/** A sentence served in the community (社区矫正法 art. 2, 刑法 arts. 38, 72, 81; 刑事诉讼法 art. 265). */
export enum CommunitySentence {
  /** 缓刑: a suspended sentence. */
  PROBATION = 'PROBATION',
  /** 假释: parole, ruled by the court. */
  PAROLE = 'PAROLE',
  /** 暂予监外执行: a sentence served outside prison (illness, pregnancy, inability to look after oneself). */
  TEMPORARY_OUTSIDE_EXECUTION = 'TEMPORARY_OUTSIDE_EXECUTION',
  /** 管制: restriction of liberty without detention. */
  PUBLIC_SURVEILLANCE = 'PUBLIC_SURVEILLANCE',
}
export enum PreLitigationMediationOutcome {
  SETTLED = 'SETTLED',
  FAILED = 'FAILED',
}
registerEnumType(CourtCaseKind, {
  name: 'CourtCaseKind',
  description: 'The kind of a court case, by the type code in its number (刑初, 民初, 民特, 执, 刑终, 民终).',
  valuesConfig: {
    CRIMINAL: { description: '刑初: criminal, first instance.' },
    CIVIL: { description: '民初: civil lawsuit, first instance.' },
    ENFORCEMENT: { description: '执: enforcement.' },
    SPECIAL_PROCEDURE: { description: '民特: special procedure, e.g. judicial confirmation (司法确认) of a mediation agreement.' },
    CRIMINAL_APPEAL: { description: '刑终: criminal appeal (上诉) or protest (抗诉), second instance at the intermediate court.' },
    CIVIL_APPEAL: { description: '民终: civil appeal (上诉), second instance at the intermediate court.' },
  },
});
registerEnumType(CourtInstance, {
  name: 'CourtInstance',
  description: 'First instance (一审, the basic courts) or second instance (二审, the intermediate court hearing an appeal).',
  valuesConfig: {
    FIRST: { description: '一审: 刑初, 民初, 民特 and 执 cases of the basic courts.' },
    SECOND: { description: '二审: 刑终 and 民终 cases of the intermediate court; its judgment is final (两审终审).' },
  },
});
registerEnumType(Appellant, {
  name: 'Appellant',
  description: 'Who appealed the first-instance judgment.',
  valuesConfig: {
    DEFENDANT: { description: '上诉 by the defendant (刑事诉讼法 art. 227).' },
    PROSECUTION: { description: '抗诉 by the procuratorate (刑事诉讼法 art. 228).' },
    PARTY: { description: '上诉 by a party to a civil judgment (民事诉讼法 art. 171).' },
  },
});
registerEnumType(AppealOutcome, {
  name: 'AppealOutcome',
  description: 'How the second instance ended (刑事诉讼法 art. 236, 民事诉讼法 art. 177).',
  valuesConfig: {
    UPHELD: { description: '维持原判: the first-instance judgment stands.' },
    AMENDED: { description: '改判: the second instance gave another judgment.' },
    REMANDED: { description: '发回重审: sent back to the first-instance court, which tries the case again.' },
    WITHDRAWN: { description: '撤回上诉 (or 撤回抗诉), allowed by the court: the first-instance judgment takes effect.' },
  },
});
registerEnumType(CourtCaseStatus, {
  name: 'CourtCaseStatus',
  description: 'Where a court case stands.',
  valuesConfig: {
    FILED: { description: 'Filed (立案) and under way: not heard yet, or being enforced.' },
    HEARD: { description: 'Heard, awaiting judgment.' },
    CONCLUDED: { description: 'Concluded (结案): judged, ruled, mediated or enforced.' },
  },
});
registerEnumType(CourtPartyRole, {
  name: 'CourtPartyRole',
  description: "A party's role before the court: defendant, plaintiff, applicant, respondent or victim.",
  valuesConfig: {
    DEFENDANT: { description: 'Defendant (被告人/被告).' },
    PLAINTIFF: { description: 'Plaintiff (原告).' },
    APPLICANT: { description: 'Applicant, e.g. for confirming a mediation agreement (申请人).' },
    RESPONDENT: { description: 'Respondent (被申请人).' },
    VICTIM: { description: 'Victim (被害人) in a criminal case.' },
  },
});
registerEnumType(Verdict, {
  name: 'Verdict',
  description: 'How a case was decided: a criminal verdict, a civil judgment, a mediation (调解书) or a confirmation ruling.',
  valuesConfig: {
    GUILTY: { description: 'Guilty (有罪).' },
    NOT_GUILTY: { description: 'Not guilty (无罪).' },
    CLAIM_UPHELD: { description: "The plaintiff's claim upheld (支持诉讼请求)." },
    CLAIM_DISMISSED: { description: "The plaintiff's claim dismissed (驳回诉讼请求)." },
    CLAIM_PARTLY_UPHELD: { description: "The plaintiff's claim partly upheld (部分支持)." },
    MEDIATED: { description: 'Settled by court mediation (调解结案).' },
    CONFIRMED: { description: 'Mediation agreement confirmed valid (司法确认).' },
  },
});
registerEnumType(HearingKind, {
  name: 'HearingKind',
  description: 'The kind of a court hearing.',
  valuesConfig: {
    TRIAL: { description: 'Court session (开庭审理).' },
    PRONOUNCEMENT: { description: 'Pronouncement of the judgment on a later day (定期宣判).' },
    INQUIRY: { description: 'Questioning of the applicants in a judicial confirmation (询问).' },
  },
});
registerEnumType(CommunitySentence, {
  name: 'CommunitySentence',
  description: 'A sentence served in the community under correction (社区矫正法 art. 2).',
  valuesConfig: {
    PROBATION: { description: '缓刑: suspended sentence (刑法 art. 72).' },
    PAROLE: { description: '假释: parole (刑法 art. 81).' },
    TEMPORARY_OUTSIDE_EXECUTION: { description: '暂予监外执行: sentence served outside prison (刑事诉讼法 art. 265).' },
    PUBLIC_SURVEILLANCE: { description: '管制: public surveillance (刑法 art. 38).' },
  },
});
registerEnumType(PreLitigationMediationOutcome, {
  name: 'PreLitigationMediationOutcome',
  description: "The outcome of a court's pre-litigation mediation (诉前调解).",
  valuesConfig: { SETTLED: { description: 'The parties settled; no lawsuit.' }, FAILED: { description: 'No settlement; the case goes to trial.' } },
});

@ObjectType({ description: "A court case (案件) of a people's court, by its case number." })
@Directive('@key(fields: "caseNo")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'court_case_township_code_prefix_index',
  expression: 'create index "court_case_township_code_prefix_index" on "court"."court_case" ("township_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'court_case' })
@Index({ properties: ['filedOn', 'caseNo'] })
export class CourtCase {
  @Field(() => ID, { description: 'Case number (案号), e.g. `(2025)辽1402刑初123号`.' })
  @PrimaryKey({ type: 'string' })
  caseNo!: string;

  @Field(() => CourtCaseKind, { description: 'Criminal, civil, enforcement or mediation confirmation (司法确认); an appeal (刑终, 民终).' })
  @Enum({ items: () => CourtCaseKind, nativeEnumName: 'court_case_kind' })
  kind!: CourtCaseKind;

  @Field({ description: "The court inside the case number: 辽1402 is the 连山区 people's court, 辽14 the intermediate court (appeals)." })
  @Property({ type: 'string', length: 8 })
  courtCode!: string;

  @Field({ description: "The district (6 digits) the court serves; an appeal's is the district of the case it hears." })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Township (9 digits) where the matter arose: scene of the crime, home of the parties or of the respondent.',
  })
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  /** The handling unit, shown as `unit`: the township's 人民法庭 for the kinds it hears, else the basic court (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  filedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD; null while the case is open.' })
  @Property({ type: DateType, nullable: true })
  concludedOn!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286).' })
  @Property({ type: 'boolean' })
  sealed!: boolean;

  @Field(() => CourtCaseStatus, { nullable: true, description: 'Where the case stands: filed, heard, judged.' })
  @Enum({ items: () => CourtCaseStatus, nativeEnumName: 'court_case_status' })
  status!: CourtCaseStatus;

  @Field(() => String, { name: 'judge', nullable: true, description: "The presiding judge (承办法官), as the judge's user id." })
  @Property({ type: 'string' })
  judgeId!: string;

  @Field(() => String, { nullable: true, description: 'Cause of action or charge (案由); null for enforcement cases.' })
  @Property({ type: 'string', nullable: true })
  cause!: string | null;

  @Field(() => Float, { nullable: true, description: 'Amount to enforce in yuan (执行标的), enforcement cases only.' })
  @Property({ type: new DecimalType('number'), precision: 14, scale: 2, nullable: true })
  amountYuan!: number | null;

  /** Criminal cases: the procuratorate's prosecution case (检刑诉) that brought it. */
  @Property({ type: 'string', nullable: true, unique: true })
  prosecutionCaseNo!: string | null;

  /** Judicial confirmations and lawsuits after a people's mediation: the justice bureau's mediation case. */
  @Index()
  @Property({ type: 'string', nullable: true })
  mediationCaseId!: string | null;

  /** The judgment, when there is one (its date is `concludedOn`). */
  @Enum({ items: () => Verdict, nativeEnumName: 'verdict', nullable: true })
  verdict!: Verdict | null;

  @Property({ type: 'integer', nullable: true })
  sentenceMonths!: number | null;

  @Property({ type: 'boolean', nullable: true })
  probation!: boolean | null;

  /** The sentence served under community correction, if any (null on the demo's judgments: `probation` says 缓刑 there). */
  @Enum({ items: () => CommunitySentence, nativeEnumName: 'community_sentence', nullable: true })
  communitySentence?: CommunitySentence | null;

  /** Civil lawsuits: the court-run mediation attempt (诉前调解) before filing. */
  @Property({ type: DateType, nullable: true })
  preLitigationStartedOn!: string | null;

  @Property({ type: DateType, nullable: true })
  preLitigationEndedOn!: string | null;

  @Enum({ items: () => PreLitigationMediationOutcome, nativeEnumName: 'pre_litigation_mediation_outcome', nullable: true })
  preLitigationOutcome!: PreLitigationMediationOutcome | null;

  /** Appeals (二审): the first-instance case appealed; its district and township are the appeal's, so visibility follows the case. */
  @Index()
  @Property({ type: 'string', nullable: true })
  appealOfCaseNo?: string | null;

  @Enum({ items: () => Appellant, nativeEnumName: 'appellant', nullable: true })
  appellant?: Appellant | null;

  /** How the appeal ended (its day is `concludedOn`); null while it is open. */
  @Enum({ items: () => AppealOutcome, nativeEnumName: 'appeal_outcome', nullable: true })
  appealOutcome?: AppealOutcome | null;
}

@ObjectType({ description: 'A party to a court case.' })
@Entity({ tableName: 'court_party' })
export class CourtParty {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @Property({ type: 'string' })
  caseNo!: string;

  /** Person key of the party. */
  @Index()
  @Property({ type: 'string', length: 33 })
  personId!: string;

  @Field(() => CourtPartyRole, { nullable: true, description: "The party's role in the case." })
  @Enum({ items: () => CourtPartyRole, nativeEnumName: 'court_party_role' })
  role!: CourtPartyRole;
}

@ObjectType({ description: 'A session of a case: a trial, a pronouncement, or the questioning in a judicial confirmation.' })
@Entity({ tableName: 'hearing' })
export class Hearing {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @Property({ type: 'string' })
  caseNo!: string;

  @Field(() => HearingKind, { nullable: true, description: 'The kind of hearing.' })
  @Enum({ items: () => HearingKind, nativeEnumName: 'hearing_kind' })
  kind!: HearingKind;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  heldOn!: string;

  @Field(() => String, { nullable: true, description: 'e.g. 第三法庭, 少年法庭 (juvenile courtroom, closed to the public).' })
  @Property({ type: 'string' })
  courtroom!: string;
}

@ObjectType({ description: 'The decision that concluded a case: judgment, mediation statement (调解书) or ruling (裁定).' })
export class Judgment {
  @Field(() => Verdict, { nullable: true, description: 'The outcome: guilty or not guilty (criminal), claim upheld or dismissed (civil).' })
  verdict!: Verdict | null;

  @Field(() => Int, { nullable: true, description: 'Prison or criminal detention (拘役) term in months, for a guilty verdict.' })
  sentenceMonths!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Sentence suspended (缓刑); served in community corrections.' })
  probation!: boolean | null;

  @Field(() => CommunitySentence, { nullable: true, description: 'The sentence served under community correction (社区矫正), if any.' })
  communitySentence!: CommunitySentence | null;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  judgedOn!: string | null;
}

@ObjectType({ description: 'The appeal a second-instance case (二审) hears: who appealed, the time limit, how it ended.' })
export class Appeal {
  @Field(() => Appellant, { nullable: true, description: 'The defendant (上诉), the procuratorate (抗诉) or a civil party (上诉).' })
  appellant!: Appellant | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'Last day of the time limit for the second instance (审限): two months for a criminal appeal (刑事诉讼法 art. 243), three for a civil one (民事诉讼法 art. 183).',
  })
  dueOn!: string | null;

  @Field(() => AppealOutcome, { nullable: true, description: 'Upheld, amended, remanded or withdrawn; null while the appeal is open.' })
  outcome!: AppealOutcome | null;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD; null while the appeal is open.' })
  decidedOn!: string | null;
}

@ObjectType({ description: "Pre-litigation mediation (诉前调解): the court's mediation attempt before a civil lawsuit is filed." })
export class PreLitigationMediation {
  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  startedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  endedOn!: string | null;

  @Field(() => PreLitigationMediationOutcome, { nullable: true, description: 'Settled or failed.' })
  outcome!: PreLitigationMediationOutcome | null;
}
