import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A resident (owned by grid); petition adds its records of the person. Only its key lives here. */
@ObjectType({ description: 'A resident (owned by grid); petition adds its records of the person.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

/**
 * A grid event (owned by grid). Added by hand: xf_case.wgsjbh holds the number of the grid event a
 * petition is about (访调对接); the scaffold cannot know that a column points into another department.
 */
@ObjectType({ description: 'Something a grid worker reported (owned by grid); petition adds the petitions about it.' })
@Directive('@key(fields: "id")')
export class GridEvent {
  @Field(() => ID)
  id!: string;
}

export function personStub(id: string): Person {
  return Object.assign(new Person(), { id });
}
