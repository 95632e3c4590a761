import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A resident (owned by grid); hotline's records point to the person by key. Only its key lives here. */
@ObjectType({ description: 'A resident (owned by grid); hotline\'s records point to the person by key.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id!: string;
}

/** A district or township (owned by grid); hotline's records point to it by code. Only its key lives here. */
@ObjectType({ description: 'A district or township (owned by grid); hotline\'s records point to it by code.' })
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID)
  code!: string;
}
