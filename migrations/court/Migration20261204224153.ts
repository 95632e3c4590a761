import { Migration } from '@mikro-orm/migrations';
import { addUnitColumnSql, courtUnitSql, dropUnitColumnSql } from '../../src/shared/orgUnitSql';

/**
 * The handling unit of every court case (src/shared/orgUnits.ts): the people's tribunal of its
 * township for a civil case or a judicial confirmation where the district court has one there, else
 * the basic court; for the rows already stored and every new one.
 */
export class Migration20261204224153 extends Migration {
  override async up(): Promise<void> {
    for (const sql of addUnitColumnSql('court', 'court_case', courtUnitSql('"kind"', '"district_code"', '"township_code"'))) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(dropUnitColumnSql('court', 'court_case'));
  }
}
