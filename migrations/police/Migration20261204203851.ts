import { Migration } from '@mikro-orm/migrations';

/**
 * The handling unit of every incident and case (src/shared/orgUnits.ts): rows already stored get
 * their township's 派出所 (GA + township code + 000), which the catalogue holds for every township;
 * new rows are written with it.
 */
export class Migration20261204203851 extends Migration {
  override async up(): Promise<void> {
    for (const table of ['incident', 'police_case']) {
      this.addSql(`alter table "police"."${table}" add column "unit_code" varchar(14) null;`);
      this.addSql(`update "police"."${table}" set "unit_code" = 'GA' || left("grid_code", 9) || '000';`);
      this.addSql(`alter table "police"."${table}" alter column "unit_code" set not null;`);
      this.addSql(`create index "${table}_unit_code_index" on "police"."${table}" ("unit_code");`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['incident', 'police_case']) this.addSql(`alter table "police"."${table}" drop column "unit_code";`);
  }
}
