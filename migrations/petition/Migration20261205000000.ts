import { Migration } from '@mikro-orm/migrations';

/**
 * The hub's own schema for the petition bureau, in the hub's database: the bureau's records stay in
 * its system (schema xf, read-only), so its statistics release lives here (docs/analytics.md, "Releases").
 */
export class Migration20261205000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "petition";`);
    this.addSql(
      `create table "petition"."statistics_release" ("statistic" text not null, "measure" text not null, "code" varchar(12) not null, "period" varchar(7) not null, "value" int null, "first_month" varchar(7) not null, "last_month" varchar(7) not null, constraint "statistics_release_pkey" primary key ("statistic", "measure", "code", "period"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "petition"."statistics_release";`);
  }
}
