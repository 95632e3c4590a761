import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DayRange } from '../../analytics/dayRange';

/*
 * Other departments' entities the court extends with fields: only the key lives here. No GraphQL
 * descriptions, so that composition keeps the owner's.
 */

/** A resident (grid's population registry); the court adds the cases the person is a party to. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

/** A district or township (grid); the court adds its figures. */
@ObjectType()
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID)
  code!: string;
}

/** A prosecution case (审查起诉, procuratorate); the court adds the trial it led to. */
@ObjectType()
@Directive('@key(fields: "caseNo")')
export class ProsecutionCase {
  @Field(() => ID)
  caseNo!: string;
}

/** A people's mediation case (justice bureau); the court adds its judicial confirmation or the lawsuit that followed. */
@ObjectType()
@Directive('@key(fields: "id")')
export class MediationCase {
  @Field(() => ID)
  id!: string;
}

/** A month of a division's statistics (grid); the court adds its figures. Built from its id. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DistrictMonth {
  @Field(() => ID)
  id!: string;

  code!: string;
  month!: string;
  range!: DayRange;
}

/** A case flow (police); the court adds the trial stage, from the keys of the cases prosecuted. */
@ObjectType()
@Directive('@key(fields: "id")')
export class CaseFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => [String], { nullable: true })
  @Directive('@external')
  prosecutedCaseKeys!: string[] | null;

  code!: string;
  range!: DayRange;
}

/** A dispute flow (grid); the court adds the last stage, from the keys of the mediations. */
@ObjectType()
@Directive('@key(fields: "id")')
export class DisputeFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => [String], { nullable: true })
  @Directive('@external')
  mediationCaseKeys!: string[] | null;

  code!: string;
  range!: DayRange;
}
