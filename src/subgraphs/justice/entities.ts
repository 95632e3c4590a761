import { DateType, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';
import { UnitColumn } from '../../kit/orgUnit';

export enum MediationPointKind {
  VILLAGE_TALK_POINT = 'VILLAGE_TALK_POINT',
  RESIDENT_TALK_POINT = 'RESIDENT_TALK_POINT',
  PERSONAL_MEDIATION_ROOM = 'PERSONAL_MEDIATION_ROOM',
  NON_LITIGATION_CENTER = 'NON_LITIGATION_CENTER',
}
export enum MediationOutcome {
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  IN_PROGRESS = 'IN_PROGRESS',
}
/** Where a people's mediation case came from (人民调解的案件来源). */
export enum MediationSource {
  GRID_EVENT = 'GRID_EVENT',
  POLICE_REFERRAL = 'POLICE_REFERRAL',
  PETITION_REFERRAL = 'PETITION_REFERRAL',
  COURT_DELEGATED = 'COURT_DELEGATED',
  WALK_IN = 'WALK_IN',
}
export enum CorrectionStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  REVOKED = 'REVOKED',
}
/** The sentence a community correction executes (社区矫正法 art. 2); the court's `CommunitySentence`, by value. */
export enum CorrectionKind {
  PROBATION = 'PROBATION',
  PAROLE = 'PAROLE',
  TEMPORARY_OUTSIDE_EXECUTION = 'TEMPORARY_OUTSIDE_EXECUTION',
  PUBLIC_SURVEILLANCE = 'PUBLIC_SURVEILLANCE',
}
/** What the correction officer records in a correction's file. */
export enum CorrectionEventKind {
  REPORTED = 'REPORTED',
  WARNING = 'WARNING',
  REVOCATION = 'REVOCATION',
  RELEASE = 'RELEASE',
}
/** Who sits in a correction group (矫正小组, 社区矫正法 art. 25). */
export enum CorrectionGroupRole {
  JUSTICE_OFFICE = 'JUSTICE_OFFICE',
  RESIDENTS_COMMITTEE = 'RESIDENTS_COMMITTEE',
  EMPLOYER_OR_SCHOOL = 'EMPLOYER_OR_SCHOOL',
  FAMILY = 'FAMILY',
  GUARDIAN = 'GUARDIAN',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  VOLUNTEER = 'VOLUNTEER',
}
export enum LegalAidStatus {
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  PENDING = 'PENDING',
}
registerEnumType(MediationPointKind, {
  name: 'MediationPointKind',
  description: 'The kind of a mediation point (调解组织).',
  valuesConfig: {
    VILLAGE_TALK_POINT: { description: '村民评理说事点' },
    RESIDENT_TALK_POINT: { description: '居民评理说事点' },
    PERSONAL_MEDIATION_ROOM: { description: '个人调解室, named after its lead mediator' },
    NON_LITIGATION_CENTER: { description: '非诉讼服务中心' },
  },
});
registerEnumType(MediationOutcome, {
  name: 'MediationOutcome',
  description: "The outcome of a people's mediation (人民调解).",
  valuesConfig: {
    SUCCEEDED: { description: 'An agreement was reached (调解成功).' },
    FAILED: { description: 'No agreement (调解不成).' },
    IN_PROGRESS: { description: 'Still being mediated.' },
  },
});
registerEnumType(MediationSource, {
  name: 'MediationSource',
  description: "Where a people's mediation case came from (案件来源).",
  valuesConfig: {
    GRID_EVENT: { description: '网格事件: a dispute a grid worker reported, sent by the 综治中心 (DISPUTE_MEDIATION).' },
    POLICE_REFERRAL: { description: '警调对接: a 110 call about a civil dispute, referred by the police station (POLICE_MEDIATION_REFERRAL).' },
    PETITION_REFERRAL: { description: '访调对接: a petition about a dispute, referred through the 综治中心 (PETITION_MEDIATION_REFERRAL).' },
    COURT_DELEGATED: {
      description: "委派调解: reserved for a court's delegation; today that is the court's own record (PreLitigationMediationCase), so no case carries it yet.",
    },
    WALK_IN: { description: '当事人申请: the parties came to the mediation point themselves.' },
  },
});
registerEnumType(CorrectionStatus, {
  name: 'CorrectionStatus',
  description: 'Whether a community correction (社区矫正) is still running.',
  valuesConfig: {
    ACTIVE: { description: 'Under correction now.' },
    COMPLETED: { description: 'The correction period is over (解除矫正).' },
    REVOKED: { description: 'Probation or parole revoked by the court; the sentence is served in prison (撤销缓刑/假释, 收监执行).' },
  },
});
registerEnumType(CorrectionKind, {
  name: 'CorrectionKind',
  description: 'The sentence a community correction executes (社区矫正法 art. 2).',
  valuesConfig: {
    PROBATION: { description: '缓刑: suspended sentence (刑法 art. 72).' },
    PAROLE: { description: '假释: parole (刑法 art. 81).' },
    TEMPORARY_OUTSIDE_EXECUTION: { description: '暂予监外执行: sentence served outside prison (刑事诉讼法 art. 265).' },
    PUBLIC_SURVEILLANCE: { description: '管制: public surveillance (刑法 art. 38).' },
  },
});
registerEnumType(CorrectionEventKind, {
  name: 'CorrectionEventKind',
  description: "An entry of a correction's file.",
  valuesConfig: {
    REPORTED: { description: '报到: the person reported to the correction office (社区矫正法 art. 21: within 10 days).' },
    WARNING: { description: '警告 (社区矫正法实施办法 art. 35).' },
    REVOCATION: { description: '撤销缓刑/假释 or 收监执行, as the court ruled (社区矫正法 arts. 46–49).' },
    RELEASE: { description: '解除矫正 at the end of the period (社区矫正法 art. 44).' },
  },
});
registerEnumType(CorrectionGroupRole, {
  name: 'CorrectionGroupRole',
  description: 'Who a member of a correction group (矫正小组, 社区矫正法 art. 25) is.',
  valuesConfig: {
    JUSTICE_OFFICE: { description: '司法所工作人员' },
    RESIDENTS_COMMITTEE: { description: '村(居)民委员会人员' },
    EMPLOYER_OR_SCHOOL: { description: '所在单位或者就读学校的人员' },
    FAMILY: { description: '家庭成员' },
    GUARDIAN: { description: '监护人、保证人' },
    SOCIAL_WORKER: { description: '社会工作者' },
    VOLUNTEER: { description: '志愿者' },
  },
});
registerEnumType(LegalAidStatus, {
  name: 'LegalAidStatus',
  description: 'The state of a legal aid application.',
  valuesConfig: {
    APPROVED: { description: 'Aid granted; a lawyer is assigned.' },
    REJECTED: { description: 'Aid refused.' },
    PENDING: { description: 'Not decided yet.' },
  },
});

@ObjectType({
  description: "A place where people's mediation happens: a talk point (评理说事点), a personal mediation room or a non-litigation service centre.",
})
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'mediation_point_township_code_prefix_index',
  expression: 'create index "mediation_point_township_code_prefix_index" on "justice"."mediation_point" ("township_code" varchar_pattern_ops, "id")',
})
@Entity({ tableName: 'mediation_point' })
export class MediationPoint {
  @Field(() => ID, { description: "The mediation point's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: "The mediation point's name, e.g. 老肖调解室." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => MediationPointKind, { description: 'Committee, personal mediation room, 评理说事点 or non-litigation service centre.' })
  @Enum({ items: () => MediationPointKind, nativeEnumName: 'mediation_point_kind' })
  kind!: MediationPointKind;

  @Field(() => String, { description: 'The township the point is in; null for a district-level centre.' })
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  @Field(() => String, { description: 'The district the point is in.' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;
}

@ObjectType({ description: "A people's mediator (人民调解员) serving at one mediation point." })
@Entity({ tableName: 'mediator' })
export class Mediator {
  @Field(() => ID, { description: "The mediator's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => String, { nullable: true, description: "The mediator's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The mediator's work phone." })
  @Property({ type: 'string' })
  phone!: string;

  @Index()
  @Property({ type: 'string' })
  pointId!: string;
}

@ObjectType({
  description:
    "A people's mediation case (人民调解案件): from a dispute a grid worker reported, a 110 call or a petition referred to mediation, or the parties' own request.",
})
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'mediation_case_township_code_prefix_index',
  expression: 'create index "mediation_case_township_code_prefix_index" on "justice"."mediation_case" ("township_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'mediation_case' })
@Index({ properties: ['startedOn', 'id'] })
export class MediationCase {
  @Field(() => ID, { description: "The mediation case's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  /** The grid department's event id; null for a case brought to a mediation point directly. */
  @Unique()
  @Property({ type: 'string', nullable: true })
  gridEventId!: string | null;

  @Field(() => MediationSource, {
    description: 'Where the case came from: a grid event, a police or petition referral, or the parties themselves (not sensitive).',
  })
  @Enum({ items: () => MediationSource, nativeEnumName: 'mediation_source' })
  source!: MediationSource;

  /** The police incident (警情, JQ…) a 警调对接 referral brought; null otherwise. */
  @Unique()
  @Property({ type: 'string', length: 12, nullable: true })
  incidentId!: string | null;

  /** The petition bureau's case number (信访件编号, xf_case.xfjbh) a 访调对接 referral brought; null otherwise. */
  @Unique()
  @Property({ type: 'string', length: 20, nullable: true })
  petitionCaseId!: string | null;

  @Property({ type: 'string' })
  pointId!: string;

  @Property({ type: 'string' })
  mediatorId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  startedOn!: string;

  @Field(() => MediationOutcome, { nullable: true, description: 'Succeeded, failed or still in progress.' })
  @Enum({ items: () => MediationOutcome, nativeEnumName: 'mediation_outcome' })
  outcome!: MediationOutcome;

  @Field(() => String, { nullable: true, description: 'The mediation agreement (调解协议) when one was reached.' })
  @Property({ type: 'text', nullable: true })
  agreement!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD; null while in progress.' })
  @Property({ type: DateType, nullable: true })
  closedOn!: string | null;

  @Field(() => String, { description: 'The district the mediation took place in.' })
  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field(() => String, { description: 'The township the mediation took place in.' })
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  /** The handling unit, shown as `unit`: the 司法所 of the township (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;
}

/** One party (当事人) of a mediation case, by person key; `seq` keeps the order the parties were recorded in. */
@Entity({ tableName: 'mediation_party' })
export class MediationParty {
  @PrimaryKey({ type: 'string' })
  mediationId!: string;

  @Index()
  @PrimaryKey({ type: 'string', length: 33 })
  personId!: string;

  @Property({ type: 'smallint' })
  seq!: number;
}

@ObjectType({ description: 'A community correction (社区矫正): a probation sentence served in the community under a correction officer.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'community_correction' })
@Index({ properties: ['startOn', 'id'] })
// One correction per person sentenced by a judgment (each defendant with a community sentence).
@Unique({ properties: ['courtCaseNo', 'personId'] })
export class CommunityCorrection {
  @Field(() => ID, { description: "The correction's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 33 })
  personId!: string;

  /** The court's case number of the judgment. */
  @Index()
  @Property({ type: 'string' })
  courtCaseNo!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  startOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD, the last day.' })
  @Property({ type: DateType })
  endOn!: string;

  @Field(() => CorrectionStatus, { nullable: true, description: 'Whether the correction is under way or completed.' })
  @Enum({ items: () => CorrectionStatus, nativeEnumName: 'correction_status' })
  status!: CorrectionStatus;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286), as the deciding department (court or procuratorate) sealed the case.',
  })
  @Property({ type: 'boolean', default: false })
  sealed!: boolean;

  @Field(() => String, { name: 'correctionOfficer', nullable: true, description: 'Id of the correction officer in charge.' })
  @Property({ type: 'string' })
  officerId!: string;

  @Field(() => String, { description: 'The district whose justice bureau supervises the correction.' })
  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  /** The handling unit, shown as `unit`: the district's 司法局 (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;

  @Field(() => CorrectionKind, { nullable: true, description: '缓刑, 假释, 暂予监外执行 or 管制.' })
  @Enum({ items: () => CorrectionKind, nativeEnumName: 'correction_kind', default: CorrectionKind.PROBATION })
  kind!: CorrectionKind;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD the person reported (报到); null until then.' })
  @Property({ type: DateType, nullable: true })
  reportedOn?: string | null;
}

@ObjectType({ description: "An entry of a community correction's file: the report, a warning, a revocation, the release." })
@Entity({ tableName: 'correction_event' })
export class CorrectionEvent {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @Property({ type: 'string' })
  correctionId!: string;

  @Field(() => CorrectionEventKind, { description: 'Report, warning, revocation or release.' })
  @Enum({ items: () => CorrectionEventKind, nativeEnumName: 'correction_event_kind' })
  kind!: CorrectionEventKind;

  @Field(() => DateScalar, { description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: 'Why (the conduct warned of, the ruling revoking): free text, ruled by the policy.' })
  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Field(() => String, { name: 'officer', description: 'The correction officer who recorded it.' })
  @Property({ type: 'string' })
  officerId!: string;
}

@ObjectType({ description: 'A member of the correction group (矫正小组, 社区矫正法 art. 25) of a community correction.' })
@Entity({ tableName: 'correction_group_member' })
export class CorrectionGroupMember {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @Property({ type: 'string' })
  correctionId!: string;

  @Field(() => CorrectionGroupRole, { description: 'Who the member is.' })
  @Enum({ items: () => CorrectionGroupRole, nativeEnumName: 'correction_group_role' })
  role!: CorrectionGroupRole;

  @Field(() => String, { nullable: true, description: "The member's name." })
  @Property({ type: 'string', length: 40 })
  name!: string;
}

@ObjectType({
  description:
    "The justice bureau's pre-sentence assessment (调查评估, 社区矫正法 art. 18) of a defendant, commissioned by the court: suitable for a community sentence or not.",
})
@Entity({ tableName: 'pre_sentence_assessment' })
export class PreSentenceAssessment {
  @Field(() => ID, { description: "The assessment's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  /** The criminal case whose court commissioned it: one assessment per case here. */
  @Unique()
  @Property({ type: 'string' })
  courtCaseNo!: string;

  @Field(() => Boolean, { nullable: true, description: 'Suitable for community correction (适宜社区矫正).' })
  @Property({ type: 'boolean' })
  suitable!: boolean;

  @Field(() => String, { nullable: true, description: 'The short opinion (评估意见): free text, ruled by the policy.' })
  @Property({ type: 'text' })
  opinion!: string;

  @Field(() => DateScalar, { description: 'YYYY-MM-DD the opinion was given.' })
  @Property({ type: DateType })
  answeredOn!: string;

  @Field(() => String, { name: 'officer', description: 'The correction officer who assessed.' })
  @Property({ type: 'string' })
  officerId!: string;

  @Field(() => String, { description: "The district whose justice bureau assessed (the defendant's home)." })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;
}

@ObjectType({ description: 'An application for legal aid (法律援助).' })
@Entity({ tableName: 'legal_aid_case' })
@Index({ properties: ['appliedOn', 'id'] })
export class LegalAidCase {
  @Field(() => ID, { description: "The legal aid case's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 33 })
  applicantId!: string;

  /** The police case a criminal defence serves (a juvenile suspect's, 法律援助法 art. 25); null for other matters. */
  @Index()
  @Property({ type: 'string', nullable: true })
  policeCaseNo!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286): the defence of a case the deciding department (court or procuratorate) sealed.',
  })
  @Property({ type: 'boolean', default: false })
  sealed!: boolean;

  @Field(() => String, { nullable: true, description: 'What the applicant needs help with (free text, ruled by the policy).' })
  @Property({ type: 'string' })
  matter!: string;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  appliedOn!: string;

  @Field(() => LegalAidStatus, { nullable: true, description: 'Pending, approved or rejected.' })
  @Enum({ items: () => LegalAidStatus, nativeEnumName: 'legal_aid_status' })
  status!: LegalAidStatus;

  @Field(() => String, { description: 'The district whose justice bureau handles the application.' })
  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  /** The handling unit, shown as `unit`: the district's 司法局 (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;
}
