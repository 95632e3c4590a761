import { Migration } from '@mikro-orm/migrations';

/**
 * The seal of a minor's criminal record (刑事诉讼法 art. 286) on this department's records of the
 * case: decided by the court (judgment) or the procuratorate (不起诉), carried by every record of it.
 */
export class Migration20261203100002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "justice"."community_correction" add column "sealed" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "justice"."community_correction" drop column "sealed";`);
  }
}
