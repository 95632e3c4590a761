import { DateTimeType, DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';
import { UnitColumn } from '../../kit/orgUnit';

/** Criminal case stages: 立案 → 侦查 → 移送审查起诉, or closed by the police (撤案/终止侦查). */
export enum PoliceCaseStage {
  FILED = 'FILED',
  INVESTIGATING = 'INVESTIGATING',
  TRANSFERRED = 'TRANSFERRED',
  CLOSED = 'CLOSED',
}
export enum CaseParticipantRole {
  SUSPECT = 'SUSPECT',
  VICTIM = 'VICTIM',
  WITNESS = 'WITNESS',
}
registerEnumType(PoliceCaseStage, {
  name: 'PoliceCaseStage',
  description: 'Filed (立案), under investigation (侦查), transferred for prosecution review (移送审查起诉), or closed by the police.',
  valuesConfig: {
    FILED: { description: 'Filed (立案).' },
    INVESTIGATING: { description: 'Under investigation (侦查).' },
    TRANSFERRED: { description: 'Sent to the procuratorate for review (移送审查起诉).' },
    CLOSED: { description: 'Closed by the police (撤案 or 结案).' },
  },
});
registerEnumType(CaseParticipantRole, {
  name: 'CaseParticipantRole',
  description: 'Suspect (犯罪嫌疑人), victim (被害人) or witness (证人).',
  valuesConfig: { SUSPECT: { description: 'Suspect (犯罪嫌疑人).' }, VICTIM: { description: 'Victim (被害人).' }, WITNESS: { description: 'Witness (证人).' } },
});

/** Key formats of the police records, as issued (see the demo city's numbering; case numbers: keys.ts). */
const INCIDENT_ID = /^JQ\d{10}$/;
const AUXILIARY_OFFICER_ID = /^AX\d{5}$/;

/** `JQ` + the year + a 6-digit sequence, e.g. `JQ2025000123`. */
export function isIncidentId(value: string): boolean {
  return INCIDENT_ID.test(value);
}
export function isAuxiliaryOfficerId(value: string): boolean {
  return AUXILIARY_OFFICER_ID.test(value);
}

@ObjectType({ description: 'A call to the police (警情): a request for help, a dispute, a public-order or traffic problem, or a crime report.' })
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'incident_grid_code_prefix_index',
  expression: 'create index "incident_grid_code_prefix_index" on "police"."incident" ("grid_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'incident' })
@Index({ properties: ['reportedAt', 'id'] })
export class Incident {
  @Field(() => ID, { description: 'JQ + 10 digits.' })
  @PrimaryKey({ type: 'string', length: 12 })
  id!: string;

  @Field(() => String, { nullable: true, description: 'e.g. 求助, 纠纷, 治安, 交通, 火警, 刑事.' })
  @Property({ type: 'string' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'What was reported (free text, ruled by the policy).' })
  @Property({ type: 'text' })
  summary!: string;

  @Field(() => Date, { description: 'When the incident was reported to the police.' })
  @Property({ type: DateTimeType })
  reportedAt!: Date;

  @Field({ description: 'County-level district (6 digits).' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field({ description: 'Grid where it happened (12 digits; its first 9 are the township).' })
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  /** The handling unit (派出所 or 分局), shown as `unit`: src/shared/orgUnits.ts. */
  @UnitColumn()
  unitCode!: string;

  /** Person key of the caller; null when the caller was not identified. */
  @Index()
  @Property({ type: 'string', length: 33, nullable: true })
  reporterId!: string | null;
}

@ObjectType({ description: 'A criminal case filed by the police (刑事案件).' })
@Directive('@key(fields: "caseNo")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'police_case_grid_code_prefix_index',
  expression: 'create index "police_case_grid_code_prefix_index" on "police"."police_case" ("grid_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'police_case' })
@Index({ properties: ['filedOn', 'caseNo'] })
export class PoliceCase {
  @Field(() => ID, {
    description:
      "Case number (案件编号): the police platform's A + 12-digit unit code + year + month + 4-digit sequence (A2114020400002025010012), or the compact A + district code + year + 5-digit sequence (A211402202500109).",
  })
  @PrimaryKey({ type: 'string', length: 32 })
  caseNo!: string;

  @Field(() => String, { nullable: true, description: 'The offence under investigation (罪名), e.g. 盗窃罪.' })
  @Property({ type: 'string' })
  charge!: string;

  @Field(() => PoliceCaseStage, { nullable: true, description: 'Where the case stands: filed, under investigation, transferred for prosecution, or closed.' })
  @Index()
  @Enum({ items: () => PoliceCaseStage, nativeEnumName: 'police_case_stage' })
  stage!: PoliceCaseStage;

  @Field(() => DateScalar, { description: 'Day the case was filed (立案), YYYY-MM-DD.' })
  @Property({ type: DateType })
  filedOn!: string;

  @Field(() => Date, { description: 'When the offence happened.' })
  @Property({ type: DateTimeType })
  occurredAt!: Date;

  @Field({ description: 'County-level district (6 digits).' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field({ description: 'Grid where the offence happened (12 digits).' })
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  /** The handling unit (派出所 or 分局), shown as `unit`: src/shared/orgUnits.ts. */
  @UnitColumn()
  unitCode!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286), as the deciding department (court or procuratorate) sealed the case.',
  })
  @Property({ type: 'boolean', default: false })
  sealed!: boolean;

  @Field(() => String, { name: 'investigatingOfficer', nullable: true, description: 'The investigating officer (the `sub` of their token).' })
  @Index()
  @Property({ type: 'string' })
  officerId!: string;

  @Property({ type: 'string', length: 12, unique: true })
  incidentId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day the case was transferred for prosecution review (移送审查起诉), YYYY-MM-DD.' })
  @Index()
  @Property({ type: DateType, nullable: true })
  transferredOn!: string | null;
}

@ObjectType({ description: "A person's part in a police case: a suspect, victim or witness. Also what `Person.policeRecords` lists." })
@Entity({ tableName: 'case_participant' })
@Index({ properties: ['personId'] })
export class CaseParticipant {
  @PrimaryKey({ type: 'string', length: 32 })
  caseNo!: string;

  /** Person key. */
  @PrimaryKey({ type: 'string', length: 33 })
  personId!: string;

  @Field(() => CaseParticipantRole, { nullable: true, description: 'Suspect, victim or witness.' })
  @Enum({ items: () => CaseParticipantRole, nativeEnumName: 'case_participant_role' })
  role!: CaseParticipantRole;
}

@ObjectType({ description: 'An auxiliary police officer (辅警) posted to a village: 一村一辅警.' })
@Directive('@key(fields: "id")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'auxiliary_officer_grid_code_prefix_index',
  expression: 'create index "auxiliary_officer_grid_code_prefix_index" on "police"."auxiliary_officer" ("grid_code" varchar_pattern_ops, "id")',
})
@Entity({ tableName: 'auxiliary_officer' })
export class AuxiliaryOfficer {
  @Field(() => ID, { description: "The auxiliary officer's staff id." })
  @PrimaryKey({ type: 'string', length: 7 })
  id!: string;

  @Field(() => String, { nullable: true, description: "The auxiliary officer's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The auxiliary officer's work phone." })
  @Property({ type: 'string' })
  phone!: string;

  @Field({ description: 'The village (村) the officer is posted to.' })
  @Property({ type: 'string' })
  village!: string;

  @Field({ description: "The village's grid (12 digits)." })
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Field({ description: 'Township (9 digits).' })
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;
}
