import { Migration } from '@mikro-orm/migrations';

/** The handoff effects this department applied (kit/effects.ts), by the workflow's outbox id: a redelivery finds its row and writes nothing. */
export class Migration20261204160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "procuratorate"."applied_effect" ("effect_id" varchar(40) not null, "record_key" varchar(40) not null, "applied_at" timestamptz not null, constraint "applied_effect_pkey" primary key ("effect_id"));`,
    );
    // Prosecution reviews opened by an accepted handoff (…检刑诉〔year〕serial号), above the demo city's serials.
    this.addSql(`create sequence if not exists "procuratorate"."prosecution_case_seq" start 500000;`);
  }
}
