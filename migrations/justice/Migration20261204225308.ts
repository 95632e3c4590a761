import { Migration } from '@mikro-orm/migrations';
import { addUnitColumnSql, dropUnitColumnSql, handlingUnitSql } from '../../src/shared/orgUnitSql';

/**
 * The handling unit of the justice bureau's records (src/shared/orgUnits.ts), for the rows already
 * stored and every new one: a mediation the 司法所 of its township (which guides the people's
 * mediation there); a community correction and a legal aid application the district's 司法局, whose
 * 社区矫正机构 and 法律援助机构 decide them (社区矫正法 art. 9, 法律援助法 art. 12).
 */
export class Migration20261204225308 extends Migration {
  override async up(): Promise<void> {
    const backfill = {
      mediation_case: handlingUnitSql('justice', '"township_code"'),
      community_correction: handlingUnitSql('justice', '"district_code"'),
      legal_aid_case: handlingUnitSql('justice', '"district_code"'),
    };
    for (const [table, unit] of Object.entries(backfill)) for (const sql of addUnitColumnSql('justice', table, unit)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['mediation_case', 'community_correction', 'legal_aid_case']) this.addSql(dropUnitColumnSql('justice', table));
  }
}
