import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DayRange } from '../../analytics/dayRange';

/*
 * Entities the grid department owns. Police extends `Person` and `District` with fields of its
 * own (so they resolve here from their key alone) and only points to `Grid`.
 */

@ObjectType({ description: 'A resident (owned by grid). Police adds the person\'s case involvements and reported incidents.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'An administrative division (owned by grid). Police adds its statistics.' })
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID)
  code!: string;
}

@ObjectType()
@Directive('@key(fields: "code", resolvable: false)')
export class Grid {
  @Field(() => ID)
  code!: string;
}

/** A month of a division's statistics (owned by grid); police adds its figures. Built from its id. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DistrictMonth {
  @Field(() => ID)
  id!: string;

  code!: string;
  month!: string;
  range!: DayRange;
}
