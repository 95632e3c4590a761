import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A resident (owned by grid); petition adds its records of the person. Only its key lives here. */
@ObjectType({ description: 'A resident (owned by grid); petition adds its records of the person.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

export function personStub(id: string): Person {
  return Object.assign(new Person(), { id });
}
