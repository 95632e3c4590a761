import { DateTimeType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/** One recorded look at a record or a sensitive field (read-only here: the trail is written by every subgraph's audit writer). */
@ObjectType({
  description:
    'One look: at a sensitive field (with every response path it was served at), or at a record (field `*`, "looked up"): who, when, why, what, and what they got.',
})
@Entity({ tableName: 'access_log', readonly: true })
export class AccessRecord {
  @Field(() => ID, { description: 'Position in the whole trail (the order rows were stored in).' })
  @PrimaryKey({ type: 'bigint' })
  seq!: string;

  @Field({ description: 'The hash chain the row belongs to: the subgraph that wrote it.' })
  @Property({ type: 'text' })
  chain!: string;

  @Field(() => ID, { description: 'Position in its chain.' })
  @Property({ type: 'bigint' })
  chainSeq!: string;

  @Field(() => Date, { description: "When the row was appended (the database server's time)." })
  @Property({ type: DateTimeType })
  at!: Date;

  @Field({ description: 'The request the look belongs to (the same id in every log line of that request).' })
  @Property({ type: 'text' })
  requestId!: string;

  @Field({ description: 'The officer (token subject).' })
  @Property({ type: 'text' })
  subject!: string;

  @Field({ description: 'The agency of the officer who looked.' })
  @Property({ type: 'text' })
  agency!: string;

  @Field(() => String, { nullable: true, description: "The caller's GraphQL operation name, when it had one." })
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

  @Field({ description: 'The GraphQL type of the record looked at, e.g. `Person`.' })
  @Property({ type: 'text' })
  entityType!: string;

  @Field(() => String, { nullable: true, description: "The record's key (the opaque person key for people)." })
  @Property({ type: 'text', nullable: true })
  entityId!: string | null;

  @Field({ description: 'The sensitive field, or `*` for the record itself ("looked up").' })
  @Property({ type: 'text' })
  field!: string;

  @Field(() => [String], { description: 'Every response path the value (or record) was served at, dotted: aliases and repeated lookups each add one.' })
  @Property({ type: 'text[]' })
  paths!: string[];

  @Field(() => [String], { nullable: true, description: 'On a "looked up" row: the fields selected on the record.' })
  @Property({ type: 'text[]', nullable: true })
  fields!: string[] | null;

  @Field({ description: 'The field was opened by break-glass.' })
  @Property({ type: 'boolean' })
  breakGlass!: boolean;

  @Field({ description: 'The record is sealed (e.g. a juvenile record).' })
  @Property({ type: 'boolean' })
  sealed!: boolean;

  @Field({ description: 'allow, mask or deny.' })
  @Property({ type: 'text' })
  decision!: string;

  @Field({ description: 'Why the policy decided as it did (`inside your jurisdiction`, `looked up`, `searched`, …).' })
  @Property({ type: 'text' })
  reason!: string;

  @Field({ description: "SHA-256 of the previous row's hash and this row's content: the link of the hash chain." })
  @Property({ type: 'text' })
  hash!: string;
}
