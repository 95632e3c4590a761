import { Migration } from '@mikro-orm/migrations';
import { addUnitColumnSql, dropUnitColumnSql, handlingUnitSql } from '../../src/shared/orgUnitSql';

/**
 * The handling unit of every prosecution and arrest review (src/shared/orgUnits.ts): the district
 * procuratorate's 第一检察部 (捕诉一体: one department reviews the arrest and the prosecution of a
 * case), for the rows already stored and every new one.
 */
export class Migration20261204223714 extends Migration {
  override async up(): Promise<void> {
    for (const table of ['prosecution_case', 'arrest_review'])
      for (const sql of addUnitColumnSql('procuratorate', table, handlingUnitSql('procuratorate', '"district_code"'))) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['prosecution_case', 'arrest_review']) this.addSql(dropUnitColumnSql('procuratorate', table));
  }
}
