import { Migration } from '@mikro-orm/migrations';

/** The workflow subgraph's schema: handoffs, their steps, and the mutations' idempotency keys. */
export class Migration20261203170000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "workflow";`);
    this.addSql(
      `create type "workflow"."handoff_kind" as enum ('EVENT_HANDLING', 'DISPUTE_MEDIATION', 'PROSECUTION_REVIEW', 'PUBLIC_PROSECUTION', 'PRE_LITIGATION_MEDIATION', 'JUDICIAL_CONFIRMATION', 'CORRECTION_HANDOVER');`,
    );
    this.addSql(
      `create type "workflow"."handoff_subject_type" as enum ('GridEvent', 'PoliceCase', 'ProsecutionCase', 'CourtCase', 'MediationCase', 'CommunityCorrection');`,
    );
    this.addSql(`create type "workflow"."handoff_state" as enum ('SENT', 'ACCEPTED', 'RETURNED', 'IN_PROGRESS', 'DONE', 'FEEDBACK_GIVEN', 'ESCALATED');`);
    this.addSql(`create sequence "workflow"."handoff_seq";`);
    this.addSql(`create table "workflow"."handoff" (
      "id" varchar(20) not null, "kind" "workflow"."handoff_kind" not null,
      "subject_type" "workflow"."handoff_subject_type" not null, "subject_key" varchar(40) not null, "scope_code" varchar(12) not null,
      "from_agency" varchar(20) not null, "from_unit_code" varchar(12) not null, "to_agency" varchar(20) not null, "to_unit_code" varchar(12) not null,
      "feedback_agency" varchar(20) not null, "feedback_unit_code" varchar(12) not null,
      "holder_agency" varchar(20) null, "holder_unit_code" varchar(12) null,
      "state" "workflow"."handoff_state" not null, "version" int not null default 1, "major" boolean not null, "returns" int not null,
      "due_on" date null, "due_article" varchar(300) null, "note" text not null, "result" text null, "feedback" text null,
      "sent_at" timestamptz not null, "updated_at" timestamptz not null,
      constraint "handoff_pkey" primary key ("id"));`);
    this.addSql(
      `create index "handoff_holder_agency_holder_unit_code_sent_at_id_index" on "workflow"."handoff" ("holder_agency", "holder_unit_code", "sent_at", "id");`,
    );
    this.addSql(`create index "handoff_subject_type_subject_key_index" on "workflow"."handoff" ("subject_type", "subject_key");`);
    this.addSql(`create index "handoff_scope_code_index" on "workflow"."handoff" ("scope_code");`);
    // One open handoff of a kind per record: a second dispatch (another key, another officer) is a CONFLICT, even at the same moment.
    this.addSql(
      `create unique index "handoff_open_subject_unique" on "workflow"."handoff" ("kind", "subject_type", "subject_key") where "state" not in ('DONE', 'FEEDBACK_GIVEN', 'ESCALATED');`,
    );
    // No foreign key to the handoff (as in the other departments' tables): the demo seed bulk-loads both tables,
    // and a step is only ever written in its handoff's transaction.
    this.addSql(`create table "workflow"."handoff_step" (
      "seq" bigserial primary key, "handoff_id" varchar(20) not null, "step" varchar(20) not null,
      "from_state" "workflow"."handoff_state" null, "to_state" "workflow"."handoff_state" not null,
      "officer" varchar(100) not null, "agency" varchar(20) not null, "at" timestamptz not null, "text" text null, "due_on" date null);`);
    this.addSql(`create index "handoff_step_handoff_id_seq_index" on "workflow"."handoff_step" ("handoff_id", "seq");`);
    this.addSql(`create table "workflow"."idempotency_key" (
      "officer" varchar(100) not null, "key" varchar(100) not null, "body_hash" varchar(64) not null,
      "handoff_id" varchar(20) null, "created_at" timestamptz not null,
      constraint "idempotency_key_pkey" primary key ("officer", "key"));`);
  }
}
