import { Migration } from '@mikro-orm/migrations';

/** The community sentence of a criminal judgment (缓刑, 假释, 暂予监外执行, 管制): what the court hands over to the justice bureau. */
export class Migration20261204221906 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "court"."community_sentence" as enum ('PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION', 'PUBLIC_SURVEILLANCE');`);
    this.addSql(`alter table "court"."court_case" add column "community_sentence" "court"."community_sentence" null;`);
  }
}
