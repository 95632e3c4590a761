import { DateType, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';

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
export enum CorrectionStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
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
registerEnumType(CorrectionStatus, {
  name: 'CorrectionStatus',
  description: 'Whether a community correction (社区矫正) is still running.',
  valuesConfig: { ACTIVE: { description: 'Under correction now.' }, COMPLETED: { description: 'The correction period is over (解除矫正).' } },
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

@ObjectType({ description: "A people's mediation case (人民调解案件), usually started from a dispute a grid worker reported." })
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
export class CommunityCorrection {
  @Field(() => ID, { description: "The correction's id." })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 33 })
  personId!: string;

  /** The court's case number of the judgment; one correction per judgment in this model. */
  @Unique()
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
}
