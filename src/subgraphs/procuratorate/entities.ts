import { ArrayType, DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';
import { UnitColumn } from '../../kit/orgUnit';

/** Outcome of prosecution review: prosecute (提起公诉), not prosecute (不起诉), or not decided yet. */
export enum ProsecutionDecision {
  PROSECUTE = 'PROSECUTE',
  NOT_PROSECUTE = 'NOT_PROSECUTE',
  PENDING = 'PENDING',
}
/** Outcome of arrest review: arrest approved (批准逮捕) or not (不批准逮捕). */
export enum ArrestDecision {
  APPROVED = 'APPROVED',
  NOT_APPROVED = 'NOT_APPROVED',
}
registerEnumType(ProsecutionDecision, {
  name: 'ProsecutionDecision',
  description: 'Prosecute (提起公诉), not prosecute (不起诉), or pending.',
  valuesConfig: {
    PROSECUTE: { description: 'Prosecuted (提起公诉).' },
    NOT_PROSECUTE: { description: 'Not prosecuted (不起诉).' },
    PENDING: { description: 'Under review.' },
  },
});
registerEnumType(ArrestDecision, {
  name: 'ArrestDecision',
  description: 'Arrest approved (批准逮捕) or not approved (不批准逮捕).',
  valuesConfig: { APPROVED: { description: 'Arrest approved (批准逮捕).' }, NOT_APPROVED: { description: 'Arrest not approved (不批准逮捕).' } },
});

@ObjectType({ description: 'An arrest review (审查逮捕): whether the suspects of a police case may be arrested.' })
@Directive('@key(fields: "caseNo")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'arrest_review_township_code_prefix_index',
  expression: 'create index "arrest_review_township_code_prefix_index" on "procuratorate"."arrest_review" ("township_code" varchar_pattern_ops, "decided_on")',
})
@Entity({ tableName: 'arrest_review' })
export class ArrestReview {
  @Field(() => ID, { description: 'e.g. 连检捕〔2025〕17号' })
  @PrimaryKey({ type: 'string', length: 40 })
  caseNo!: string;

  /** Key of the police's `PoliceCase` the arrest was requested in. */
  @Property({ type: 'string', length: 40, unique: true })
  policeCaseNo!: string;

  @Field(() => ArrestDecision, {
    nullable: true,
    description: "The procuratorate's decision on the arrest request (批准逮捕 or 不批准逮捕); null while pending.",
  })
  @Enum({ items: () => ArrestDecision, nativeEnumName: 'arrest_decision' })
  decision!: ArrestDecision;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: DateType })
  decidedOn!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286), as the deciding department (court or procuratorate) sealed the case.',
  })
  @Property({ type: 'boolean', default: false })
  sealed!: boolean;

  @Field({ description: 'County-level district (6 digits) whose procuratorate reviewed the request.' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  /** Township (9 digits) where the offence happened: scopes township statistics and lists. */
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  /** The handling unit, shown as `unit`: the district procuratorate's 第一检察部 (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;
}

@ObjectType({ description: 'A case under prosecution review (审查起诉), transferred by the police; the procuratorate decides whether to prosecute.' })
@Directive('@key(fields: "caseNo")')
// Division prefixes (`like '211402%'`) need varchar_pattern_ops: declared as the migration creates it, so `hub migration create` keeps it.
@Index({
  name: 'prosecution_case_township_code_prefix_index',
  expression: 'create index "prosecution_case_township_code_prefix_index" on "procuratorate"."prosecution_case" ("township_code" varchar_pattern_ops)',
})
@Entity({ tableName: 'prosecution_case' })
@Index({ properties: ['receivedOn', 'caseNo'] })
export class ProsecutionCase {
  @Field(() => ID, { description: 'e.g. 连检刑诉〔2025〕17号' })
  @PrimaryKey({ type: 'string', length: 40 })
  caseNo!: string;

  /** Key of the police's `PoliceCase` transferred for prosecution (移送审查起诉). */
  @Property({ type: 'string', length: 40, unique: true })
  policeCaseNo!: string;

  /** The arrest review of the same police case, when there was one. */
  @Property({ type: 'string', length: 40, nullable: true })
  arrestReviewCaseNo!: string | null;

  @Field(() => [String], { nullable: true, description: 'Charges (罪名) the case was transferred with, e.g. 盗窃罪.' })
  @Property({ type: ArrayType })
  charges!: string[];

  @Field(() => DateScalar, { nullable: true, description: 'Day the case was received from the police (受理), YYYY-MM-DD.' })
  @Property({ type: DateType })
  receivedOn!: string;

  @Field(() => ProsecutionDecision, { nullable: true, description: 'Prosecute (起诉), not prosecute (不起诉) or still pending.' })
  @Index()
  @Enum({ items: () => ProsecutionDecision, nativeEnumName: 'prosecution_decision' })
  decision!: ProsecutionDecision;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD; null while pending.' })
  @Property({ type: DateType, nullable: true })
  decidedOn!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Criminal record sealed (未成年人犯罪记录封存, 刑事诉讼法 art. 286), as the deciding department (court or procuratorate) sealed the case.',
  })
  @Property({ type: 'boolean', default: false })
  sealed!: boolean;

  @Field(() => String, { name: 'prosecutor', nullable: true, description: 'The prosecutor in charge (承办检察官): the `sub` of their token.' })
  @Property({ type: 'string' })
  prosecutorId!: string;

  @Field({ description: 'County-level district (6 digits) whose procuratorate handles the case.' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  /** Township (9 digits) where the offence happened: scopes township statistics and lists. */
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  /** The handling unit, shown as `unit`: the district procuratorate's 第一检察部 (src/shared/orgUnits.ts). */
  @UnitColumn()
  unitCode!: string;
}

/** A defendant (犯罪嫌疑人) of a prosecution case, linked by person key. */
@Entity({ tableName: 'prosecution_defendant' })
export class ProsecutionDefendant {
  @PrimaryKey({ type: 'string', length: 40 })
  caseNo!: string;

  @Index()
  @PrimaryKey({ type: 'string', length: 33 })
  personId!: string;

  /** Order in which the case lists its defendants, from 1 (the principal suspect first). */
  @Property({ type: 'smallint' })
  position!: number;
}
