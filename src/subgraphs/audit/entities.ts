import { DateTimeType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/** One recorded look at a sensitive field (read-only here: the trail is written by every subgraph's audit writer). */
@ObjectType({ description: 'One resolution of a sensitive field: who, when, why, what, and what they got.' })
@Entity({ tableName: 'access_log', readonly: true })
export class AccessRecord {
  @Field(() => ID, { description: 'Position in the hash chain.' })
  @PrimaryKey({ type: 'bigint' })
  seq!: string;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  at!: Date;

  @Field()
  @Property({ type: 'text' })
  requestId!: string;

  @Field({ description: 'The officer (token subject).' })
  @Property({ type: 'text' })
  subject!: string;

  @Field()
  @Property({ type: 'text' })
  agency!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  operation!: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the GraphQL document.' })
  @Property({ type: 'text', nullable: true })
  documentHash!: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose the officer stated (x-purpose).' })
  @Property({ type: 'text', nullable: true })
  purpose!: string | null;

  @Field({ description: 'The department subgraph that served the field.' })
  @Property({ type: 'text' })
  subgraph!: string;

  @Field()
  @Property({ type: 'text' })
  entityType!: string;

  @Field(() => String, { nullable: true, description: 'The record\'s key (the opaque person key for people).' })
  @Property({ type: 'text', nullable: true })
  entityId!: string | null;

  @Field()
  @Property({ type: 'text' })
  field!: string;

  @Field({ description: 'allow, mask or deny.' })
  @Property({ type: 'text' })
  decision!: string;

  @Field()
  @Property({ type: 'text' })
  reason!: string;

  @Field()
  @Property({ type: 'text' })
  hash!: string;
}
