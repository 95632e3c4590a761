import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DayRange } from '../../analytics/dayRange';

/*
 * Other departments' entities that this department extends with its own fields. Each is only its
 * key here; the owner resolves everything else. The same classes serve as the targets of this
 * department's links (a mediation's parties, a correction's court case).
 */

@ObjectType({ description: 'A resident (owned by grid); justice adds mediations, community correction and legal aid.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A district or township (owned by grid); justice adds its statistics.' })
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID)
  code!: string;
}

@ObjectType({ description: 'A grid event (owned by grid); justice adds the mediation a dispute went to.' })
@Directive('@key(fields: "id")')
export class GridEvent {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A court case (owned by court); justice adds the community correction its judgment started.' })
@Directive('@key(fields: "caseNo")')
export class CourtCase {
  @Field(() => ID)
  caseNo!: string;
}

export function personStub(id: string): Person {
  return Object.assign(new Person(), { id });
}

/** A month of a division's statistics (owned by grid); justice adds its figures. No description: the owner's stands. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DistrictMonth {
  @Field(() => ID)
  id!: string;

  code!: string;
  month!: string;
  range!: DayRange;
}

/** A case flow (owned by police); justice adds the community corrections stage, from the keys of the convictions. */
@ObjectType()
@Directive('@key(fields: "id")')
export class CaseFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => [String], { nullable: true })
  @Directive('@external')
  convictedCaseKeys!: string[] | null;

  code!: string;
  range!: DayRange;
}

/** A dispute flow (owned by grid); justice adds the mediation stage, from the keys of the reported disputes. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DisputeFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => [String], { nullable: true })
  @Directive('@external')
  disputeEventKeys!: string[] | null;

  code!: string;
  range!: DayRange;
}
