import { Migration } from '@mikro-orm/migrations';

/** The handoff effects this department applied (kit/effects.ts), by the workflow's outbox id: a redelivery finds its row and writes nothing. */
export class Migration20261204160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "justice"."applied_effect" ("effect_id" varchar(40) not null, "record_key" varchar(40) not null, "applied_at" timestamptz not null, constraint "applied_effect_pkey" primary key ("effect_id"));`,
    );
    // Mediation cases opened by a completed handoff (MC, the year, a serial), above the demo city's serials.
    this.addSql(`create sequence if not exists "justice"."mediation_case_seq" start 500000;`);
  }
}
