import { Migration } from '@mikro-orm/migrations';

/** The city is a division too (level CITY): its statistics are the city totals (see docs/analytics.md). */
export class Migration20261204160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "grid"."division_level" add value if not exists 'CITY' before 'COUNTY';`);
  }

  override async down(): Promise<void> {
    // PostgreSQL cannot drop an enum value: the rows go, the value stays (harmless, unused).
    this.addSql(`delete from "grid"."district" where "level" = 'CITY';`);
  }
}
