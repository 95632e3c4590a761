import { Migration } from '@mikro-orm/migrations';

/** The court's initial schema: cases (with judgment and pre-litigation mediation), parties, hearings. */
export class Migration20261129014925 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "court";`);
    this.addSql(`create type "court"."court_case_kind" as enum ('CRIMINAL', 'CIVIL', 'ENFORCEMENT', 'SPECIAL_PROCEDURE');`);
    this.addSql(`create type "court"."court_case_status" as enum ('FILED', 'HEARD', 'CONCLUDED');`);
    this.addSql(
      `create type "court"."verdict" as enum ('GUILTY', 'NOT_GUILTY', 'CLAIM_UPHELD', 'CLAIM_PARTLY_UPHELD', 'CLAIM_DISMISSED', 'MEDIATED', 'CONFIRMED');`,
    );
    this.addSql(`create type "court"."pre_litigation_mediation_outcome" as enum ('SETTLED', 'FAILED');`);
    this.addSql(`create type "court"."court_party_role" as enum ('DEFENDANT', 'PLAINTIFF', 'APPLICANT', 'RESPONDENT', 'VICTIM');`);
    this.addSql(`create type "court"."hearing_kind" as enum ('TRIAL', 'PRONOUNCEMENT', 'INQUIRY');`);
    this.addSql(
      `create table "court"."court_case" ("case_no" varchar(255) not null, "kind" "court"."court_case_kind" not null, "court_code" varchar(8) not null, "district_code" varchar(6) not null, "township_code" varchar(9) not null, "filed_on" date not null, "concluded_on" date null, "sealed" boolean not null, "status" "court"."court_case_status" not null, "judge_id" varchar(255) not null, "cause" varchar(255) null, "amount_yuan" numeric(14,2) null, "prosecution_case_no" varchar(255) null, "mediation_case_id" varchar(255) null, "verdict" "court"."verdict" null, "sentence_months" int null, "probation" boolean null, "pre_litigation_started_on" date null, "pre_litigation_ended_on" date null, "pre_litigation_outcome" "court"."pre_litigation_mediation_outcome" null, constraint "court_case_pkey" primary key ("case_no"));`,
    );
    this.addSql(`alter table "court"."court_case" add constraint "court_case_prosecution_case_no_unique" unique ("prosecution_case_no");`);
    this.addSql(`create index "court_case_mediation_case_id_index" on "court"."court_case" ("mediation_case_id");`);
    this.addSql(`create index "court_case_filed_on_case_no_index" on "court"."court_case" ("filed_on", "case_no");`);

    this.addSql(
      `create table "court"."court_party" ("id" serial primary key, "case_no" varchar(255) not null, "person_id" varchar(33) not null, "role" "court"."court_party_role" not null);`,
    );
    this.addSql(`create index "court_party_case_no_index" on "court"."court_party" ("case_no");`);
    this.addSql(`create index "court_party_person_id_index" on "court"."court_party" ("person_id");`);

    this.addSql(
      `create table "court"."hearing" ("id" serial primary key, "case_no" varchar(255) not null, "kind" "court"."hearing_kind" not null, "held_on" date not null, "courtroom" varchar(255) not null);`,
    );
    this.addSql(`create index "hearing_case_no_index" on "court"."hearing" ("case_no");`);

    // Division filters are prefix matches (township_code LIKE '211402%'): pattern-ops indexes serve them in any collation.
    this.addSql(`create index "court_case_township_code_prefix_index" on "court"."court_case" ("township_code" varchar_pattern_ops);`);
  }
}
