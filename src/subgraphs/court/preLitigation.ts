import { DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';

/**
 * 诉前调解 as a record of its own: a civil dispute the court received and, with the parties' consent,
 * delegated before filing to a people's mediation committee (委派调解, 《最高人民法院关于人民法院特邀调解的规定》 2016).
 * Its number is the court's: `(2025)辽1402民诉前调123号`.
 */
export enum PreLitigationStatus {
  /** Delegated, the mediation point is at work. */
  MEDIATING = 'MEDIATING',
  /** An agreement was reached; the parties may apply for 司法确认 within 30 days. */
  SETTLED = 'SETTLED',
  /** No agreement; the court files the lawsuit (立案, 民初). */
  FAILED = 'FAILED',
  /** The agreement was confirmed valid by a 民特 ruling. */
  CONFIRMED = 'CONFIRMED',
  /** The lawsuit was filed as 民初. */
  FILED = 'FILED',
}
registerEnumType(PreLitigationStatus, {
  name: 'PreLitigationStatus',
  description: 'Where a pre-litigation mediation (诉前调解) stands.',
  valuesConfig: {
    MEDIATING: { description: 'Delegated to the mediation point, no outcome yet.' },
    SETTLED: { description: 'Agreement reached (调解成功); 司法确认 may be applied for within 30 days.' },
    FAILED: { description: 'No agreement (调解不成); the court files the lawsuit.' },
    CONFIRMED: { description: 'The agreement was confirmed by a 民特 ruling (司法确认).' },
    FILED: { description: 'The lawsuit was filed (立案) as a 民初 case.' },
  },
});

/** Days a delegated mediation runs unless the parties agree to extend (《关于进一步完善委派调解机制的指导意见》). */
export const PRE_LITIGATION_DAYS = 30;
/** Days after the agreement takes effect within which the parties apply for 司法确认 (民事诉讼法 art. 205). */
export const CONFIRMATION_APPLICATION_DAYS = 30;

@ObjectType({ description: "A pre-litigation mediation (诉前调解) the court delegated to a people's mediation point, by its 诉前调 number." })
@Entity({ tableName: 'pre_litigation_mediation' })
export class PreLitigationMediationCase {
  @Field(() => ID, { description: 'The 诉前调解 number, e.g. `(2025)辽1402民诉前调123号`.' })
  @PrimaryKey({ type: 'string' })
  caseNo!: string;

  @Field({ description: "The court inside the number: 辽1402 is the 连山区 people's court." })
  @Property({ type: 'string', length: 8 })
  courtCode!: string;

  @Field({ description: 'The district (6 digits) the court serves.' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field({ description: 'Township (9 digits) where the dispute arose.' })
  @Index()
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  @Field(() => String, { nullable: true, description: 'Cause of action (案由), e.g. 民间借贷纠纷.' })
  @Property({ type: 'string' })
  cause!: string;

  /** Person key of the applicant (the party who brought the dispute to court). */
  @Index()
  @Property({ type: 'string', length: 33 })
  applicantId!: string;

  /** Person key of the other party. */
  @Index()
  @Property({ type: 'string', length: 33 })
  respondentId!: string;

  @Field(() => String, { nullable: true, description: "The people's mediation point (committee) it was delegated to, by its id." })
  @Property({ type: 'string' })
  mediationPointId!: string;

  @Field(() => String, { name: 'judge', nullable: true, description: 'The judge or clerk who delegated it, as their user id.' })
  @Property({ type: 'string' })
  judgeId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day of the delegation (委派), YYYY-MM-DD.' })
  @Property({ type: DateType })
  delegatedOn!: string;

  @Field(() => Int, { nullable: true, description: 'Days the parties agreed to add to the 30-day term.' })
  @Property({ type: 'integer' })
  extensionDays!: number;

  @Field(() => DateScalar, { nullable: true, description: 'Last day of the mediation: delegation + 30 days + agreed extension.' })
  @Property({ type: DateType })
  deadlineOn!: string;

  @Field(() => PreLitigationStatus, { nullable: true, description: 'Mediating, settled, failed, confirmed or filed.' })
  @Enum({ items: () => PreLitigationStatus, nativeEnumName: 'pre_litigation_status' })
  status!: PreLitigationStatus;

  @Field(() => DateScalar, { nullable: true, description: 'Day the mediation ended (agreement signed or failure recorded), YYYY-MM-DD.' })
  @Property({ type: DateType, nullable: true })
  endedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'The mediation agreement (调解协议) text, when settled.' })
  @Property({ type: 'text', nullable: true })
  agreement!: string | null;

  /** The 民特 case that confirmed the agreement (司法确认). */
  @Property({ type: 'string', nullable: true })
  confirmationCaseNo!: string | null;

  /** The 民初 case filed after the mediation failed. */
  @Property({ type: 'string', nullable: true })
  lawsuitCaseNo!: string | null;
}
