import { Directive, Field, ID, ObjectType } from 'type-graphql';

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
