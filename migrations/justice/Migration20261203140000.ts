import { Migration } from '@mikro-orm/migrations';

/**
 * Legal aid for a criminal defence names the police case it serves, and carries that case's seal
 * (刑事诉讼法 art. 286 covers every department's record of a sealed case, legal aid included).
 */
export class Migration20261203140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "justice"."legal_aid_case" add column "police_case_no" varchar(255) null, add column "sealed" boolean not null default false;`);
    this.addSql(`create index "legal_aid_case_police_case_no_index" on "justice"."legal_aid_case" ("police_case_no");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "justice"."legal_aid_case" drop column "police_case_no", drop column "sealed";`);
  }
}
