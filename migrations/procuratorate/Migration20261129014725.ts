import { Migration } from '@mikro-orm/migrations';

/** The procuratorate's initial schema: arrest reviews, prosecution review cases and their defendants. */
export class Migration20261129014725 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "procuratorate";`);
    this.addSql(`create type "procuratorate"."arrest_decision" as enum ('APPROVED', 'NOT_APPROVED');`);
    this.addSql(`create type "procuratorate"."prosecution_decision" as enum ('PROSECUTE', 'NOT_PROSECUTE', 'PENDING');`);
    this.addSql(
      `create table "procuratorate"."arrest_review" ("case_no" varchar(40) not null, "police_case_no" varchar(40) not null, "decision" "procuratorate"."arrest_decision" not null, "decided_on" date not null, "district_code" varchar(6) not null, "township_code" varchar(9) not null, constraint "arrest_review_pkey" primary key ("case_no"));`,
    );
    this.addSql(`alter table "procuratorate"."arrest_review" add constraint "arrest_review_police_case_no_unique" unique ("police_case_no");`);

    this.addSql(
      `create table "procuratorate"."prosecution_case" ("case_no" varchar(40) not null, "police_case_no" varchar(40) not null, "arrest_review_case_no" varchar(40) null, "charges" text[] not null, "received_on" date not null, "decision" "procuratorate"."prosecution_decision" not null, "decided_on" date null, "prosecutor_id" varchar(255) not null, "district_code" varchar(6) not null, "township_code" varchar(9) not null, constraint "prosecution_case_pkey" primary key ("case_no"));`,
    );
    this.addSql(`alter table "procuratorate"."prosecution_case" add constraint "prosecution_case_police_case_no_unique" unique ("police_case_no");`);
    this.addSql(`create index "prosecution_case_decision_index" on "procuratorate"."prosecution_case" ("decision");`);
    this.addSql(`create index "prosecution_case_received_on_case_no_index" on "procuratorate"."prosecution_case" ("received_on", "case_no");`);

    this.addSql(
      `create table "procuratorate"."prosecution_defendant" ("case_no" varchar(40) not null, "person_id" varchar(33) not null, "position" smallint not null, constraint "prosecution_defendant_pkey" primary key ("case_no", "person_id"));`,
    );
    this.addSql(`create index "prosecution_defendant_person_id_index" on "procuratorate"."prosecution_defendant" ("person_id");`);

    // Division filters and statistics are prefix matches (township_code LIKE '211402%'): pattern-ops indexes serve them in any collation.
    this.addSql(`create index "prosecution_case_township_code_prefix_index" on "procuratorate"."prosecution_case" ("township_code" varchar_pattern_ops);`);
    this.addSql(
      `create index "arrest_review_township_code_prefix_index" on "procuratorate"."arrest_review" ("township_code" varchar_pattern_ops, "decided_on");`,
    );
  }
}
