import { Migration } from '@mikro-orm/migrations';

/** The department's statistics release: the only cells analysts read (see docs/analytics.md, "Releases"). */
export class Migration20261203170000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "procuratorate"."statistics_release" ("statistic" text not null, "measure" text not null, "code" varchar(12) not null, "period" varchar(7) not null, "value" int null, "first_month" varchar(7) not null, "last_month" varchar(7) not null, constraint "statistics_release_pkey" primary key ("statistic", "measure", "code", "period"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "procuratorate"."statistics_release";`);
  }
}
