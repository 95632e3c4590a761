import { Directive, Field, ID, ObjectType } from 'type-graphql';

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
