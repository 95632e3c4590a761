import { Migration } from '@mikro-orm/migrations';

/** The handoff effects this department applied (kit/effects.ts), by the workflow's outbox id: a redelivery finds its row and writes nothing. */
export class Migration20261204163000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "grid"."applied_effect" ("effect_id" varchar(40) not null, "record_key" varchar(40) not null, "applied_at" timestamptz not null, constraint "applied_effect_pkey" primary key ("effect_id"));`,
    );
  }
}
