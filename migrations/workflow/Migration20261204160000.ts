import { Migration } from '@mikro-orm/migrations';

/** The outbox of a handoff's effects in the departments that own its record (src/subgraphs/workflow/effects.ts). */
export class Migration20261204160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "workflow"."handoff_effect" (
      "id" bigserial, "handoff_id" varchar(20) not null, "step" varchar(20) not null, "department" varchar(20) not null, "mutation" varchar(40) not null,
      "subject_key" varchar(40) not null, "scope_code" varchar(12) not null, "officer" varchar(100) not null, "text" text null,
      "created_at" timestamptz not null, "delivered_at" timestamptz null, "record_key" varchar(40) null, "attempts" int not null default 0,
      "last_error" varchar(300) null,
      constraint "handoff_effect_pkey" primary key ("id"));`);
    this.addSql(`create index "handoff_effect_handoff_id_index" on "workflow"."handoff_effect" ("handoff_id");`);
  }
}
