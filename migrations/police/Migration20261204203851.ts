import { Migration } from '@mikro-orm/migrations';
import { addUnitColumnSql, dropUnitColumnSql, handlingUnitSql, policeCaseUnitSql } from '../../src/shared/orgUnitSql';

/**
 * The handling unit of every incident and case (src/shared/orgUnits.ts): rows already stored get
 * what new rows are written with — a case whose platform-form number names a unit of the catalogue
 * that unit, any other row its township's 派出所 (GA + township code + 000).
 */
export class Migration20261204203851 extends Migration {
  override async up(): Promise<void> {
    const backfill = { incident: handlingUnitSql('police', '"grid_code"'), police_case: policeCaseUnitSql('"case_no"', '"grid_code"') };
    for (const [table, unit] of Object.entries(backfill)) for (const sql of addUnitColumnSql('police', table, unit)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['incident', 'police_case']) this.addSql(dropUnitColumnSql('police', table));
  }
}
