import { Migration } from '@mikro-orm/migrations';
import { addUnitColumnSql, dropUnitColumnSql, handlingUnitSql } from '../../src/shared/orgUnitSql';

/**
 * The 综治中心 that receives each grid event (src/shared/orgUnits.ts): the township's centre (ZZ +
 * township code + 000), for the rows already stored and every new one.
 */
export class Migration20261204221409 extends Migration {
  override async up(): Promise<void> {
    for (const sql of addUnitColumnSql('grid', 'grid_event', handlingUnitSql('zongzhi', '"grid_code"'))) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(dropUnitColumnSql('grid', 'grid_event'));
  }
}
