import { Migration } from '@mikro-orm/migrations';

/** 诉前调解 as a record of its own (委派调解 to a people's mediation point), with the 民特 or 民初 case it led to. */
export class Migration20261204224713 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "court"."pre_litigation_status" as enum ('MEDIATING', 'SETTLED', 'FAILED', 'CONFIRMED', 'FILED');`);
    this.addSql(`create table "court"."pre_litigation_mediation" (
      "case_no" varchar(255) not null, "court_code" varchar(8) not null, "district_code" varchar(6) not null,
      "township_code" varchar(9) not null, "cause" varchar(255) not null, "applicant_id" varchar(33) not null,
      "respondent_id" varchar(33) not null, "mediation_point_id" varchar(255) not null, "judge_id" varchar(255) not null,
      "delegated_on" date not null, "extension_days" int not null, "deadline_on" date not null,
      "status" "court"."pre_litigation_status" not null, "ended_on" date null, "agreement" text null,
      "confirmation_case_no" varchar(255) null, "lawsuit_case_no" varchar(255) null,
      constraint "pre_litigation_mediation_pkey" primary key ("case_no"));`);
    this.addSql(`create index "pre_litigation_mediation_township_code_index" on "court"."pre_litigation_mediation" ("township_code");`);
    this.addSql(`create index "pre_litigation_mediation_applicant_id_index" on "court"."pre_litigation_mediation" ("applicant_id");`);
    this.addSql(`create index "pre_litigation_mediation_respondent_id_index" on "court"."pre_litigation_mediation" ("respondent_id");`);
  }
}
