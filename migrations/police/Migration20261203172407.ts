import { Migration } from '@mikro-orm/migrations';

/** Room for the police platform's 23-character case numbers (A + unit code + year + month + sequence), so its records join as they are. */
export class Migration20261203172407 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "police"."case_participant" alter column "case_no" type varchar(32) using ("case_no"::varchar(32));`);

    this.addSql(`alter table "police"."police_case" alter column "case_no" type varchar(32) using ("case_no"::varchar(32));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "police"."case_participant" alter column "case_no" type varchar(16) using ("case_no"::varchar(16));`);

    this.addSql(`alter table "police"."police_case" alter column "case_no" type varchar(16) using ("case_no"::varchar(16));`);
  }
}
