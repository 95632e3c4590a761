import { Migration } from '@mikro-orm/migrations';

/**
 * The 综治中心 that receives each grid event (src/shared/orgUnits.ts): the township's centre (ZZ +
 * township code + 000), for the rows already stored and every new one.
 */
export class Migration20261204221409 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "grid"."grid_event" add column "unit_code" varchar(14) null;`);
    this.addSql(`update "grid"."grid_event" set "unit_code" = 'ZZ' || left("grid_code", 9) || '000';`);
    this.addSql(`alter table "grid"."grid_event" alter column "unit_code" set not null;`);
    this.addSql(`create index "grid_event_unit_code_index" on "grid"."grid_event" ("unit_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "grid"."grid_event" drop column "unit_code";`);
  }
}
