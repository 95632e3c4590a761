import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: append-only and hash-chained. Writes run as `pingan_audit_writer`, which may
 * only INSERT and SELECT; row triggers refuse UPDATE and DELETE and a statement trigger refuses
 * TRUNCATE (row triggers do not see it), so even a role with more rights cannot rewrite it by accident.
 */
export class Migration20261129020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "audit";`);
    this.addSql(`create table "audit"."access_log" (
      "seq" bigserial primary key,
      "at" timestamptz not null,
      "request_id" text not null,
      "subject" text not null,
      "agency" text not null,
      "operation" text null,
      "document_hash" text null,
      "purpose" text null,
      "subgraph" text not null,
      "entity_type" text not null,
      "entity_id" text null,
      "field" text not null,
      "decision" text not null check ("decision" in ('allow', 'mask', 'deny')),
      "reason" text not null,
      "prev_hash" char(64) not null,
      "hash" char(64) not null unique
    );`);
    // Oversight's questions: who looked at this person/record, what did this officer look at, and when.
    this.addSql(`create index "access_log_entity_index" on "audit"."access_log" ("entity_id", "seq" desc);`);
    this.addSql(`create index "access_log_subject_index" on "audit"."access_log" ("subject", "seq" desc);`);
    this.addSql(`create index "access_log_at_index" on "audit"."access_log" ("at");`);

    this.addSql(`create or replace function "audit"."refuse_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit.access_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(
      `create trigger "access_log_no_update_delete" before update or delete on "audit"."access_log" for each row execute function "audit"."refuse_change"();`,
    );
    this.addSql(
      `create trigger "access_log_no_truncate" before truncate on "audit"."access_log" for each statement execute function "audit"."refuse_change"();`,
    );

    // Roles are cluster-wide: create once, grant per database.
    this.addSql(`do $$ begin
      if not exists (select from pg_roles where rolname = 'pingan_audit_writer') then create role "pingan_audit_writer" nologin; end if;
    end $$;`);
    this.addSql(`grant usage on schema "audit" to "pingan_audit_writer";`);
    this.addSql(`grant select, insert on "audit"."access_log" to "pingan_audit_writer";`);
    this.addSql(`grant usage on sequence "audit"."access_log_seq_seq" to "pingan_audit_writer";`);
    // The application's login may assume the writer role (SET ROLE) for its audit connections.
    this.addSql(`do $$ begin execute format('grant "pingan_audit_writer" to %I', current_user); exception when others then null; end $$;`);
  }
}
