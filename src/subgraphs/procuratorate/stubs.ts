import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DayRange } from '../../analytics/dayRange';

/*
 * Other departments' entities this department extends with fields of its own. Each carries only
 * its key; the owner resolves everything else.
 */

/** Owned by grid (population registry); gets `prosecutions`. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

/** Owned by grid; gets `procuratorateStatistics`. */
@ObjectType()
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID)
  code!: string;
}

/** Owned by police; gets `prosecution` and `arrestReview`. */
@ObjectType()
@Directive('@key(fields: "caseNo")')
export class PoliceCase {
  @Field(() => ID)
  caseNo!: string;
}

/** A month of a division's statistics (owned by grid); gets `procuratorateStatistics`. Built from its id. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DistrictMonth {
  @Field(() => ID)
  id!: string;

  code!: string;
  month!: string;
  range!: DayRange;
}

/** A case flow (owned by police); gets the procuratorate stage, from the keys of the cases police transferred. */
@ObjectType()
@Directive('@key(fields: "id")')
export class CaseFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => [String], { nullable: true })
  @Directive('@external')
  transferredCaseKeys!: string[] | null;

  code!: string;
  range!: DayRange;
}
