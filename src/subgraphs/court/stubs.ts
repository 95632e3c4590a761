import { Directive, Field, ID, ObjectType } from 'type-graphql';

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
