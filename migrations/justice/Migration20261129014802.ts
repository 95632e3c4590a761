import { Migration } from '@mikro-orm/migrations';

/** The justice bureau's initial schema: mediation points, mediators, mediation cases and their parties, community corrections, legal aid. */
export class Migration20261129014802 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "justice";`);
    this.addSql(`create type "justice"."correction_status" as enum ('ACTIVE', 'COMPLETED');`);
    this.addSql(`create type "justice"."legal_aid_status" as enum ('APPROVED', 'REJECTED', 'PENDING');`);
    this.addSql(`create type "justice"."mediation_outcome" as enum ('SUCCEEDED', 'FAILED', 'IN_PROGRESS');`);
    this.addSql(
      `create type "justice"."mediation_point_kind" as enum ('VILLAGE_TALK_POINT', 'RESIDENT_TALK_POINT', 'PERSONAL_MEDIATION_ROOM', 'NON_LITIGATION_CENTER');`,
    );
    this.addSql(
      `create table "justice"."community_correction" ("id" varchar(255) not null, "person_id" varchar(33) not null, "court_case_no" varchar(255) not null, "start_on" date not null, "end_on" date not null, "status" "justice"."correction_status" not null, "officer_id" varchar(255) not null, "district_code" varchar(6) not null, constraint "community_correction_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "community_correction_person_id_index" on "justice"."community_correction" ("person_id");`);
    this.addSql(`alter table "justice"."community_correction" add constraint "community_correction_court_case_no_unique" unique ("court_case_no");`);
    this.addSql(`create index "community_correction_district_code_index" on "justice"."community_correction" ("district_code");`);
    this.addSql(`create index "community_correction_start_on_id_index" on "justice"."community_correction" ("start_on", "id");`);

    this.addSql(
      `create table "justice"."legal_aid_case" ("id" varchar(255) not null, "applicant_id" varchar(33) not null, "matter" varchar(255) not null, "applied_on" date not null, "status" "justice"."legal_aid_status" not null, "district_code" varchar(6) not null, constraint "legal_aid_case_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "legal_aid_case_applicant_id_index" on "justice"."legal_aid_case" ("applicant_id");`);
    this.addSql(`create index "legal_aid_case_district_code_index" on "justice"."legal_aid_case" ("district_code");`);
    this.addSql(`create index "legal_aid_case_applied_on_id_index" on "justice"."legal_aid_case" ("applied_on", "id");`);

    this.addSql(
      `create table "justice"."mediation_case" ("id" varchar(255) not null, "grid_event_id" varchar(255) null, "point_id" varchar(255) not null, "mediator_id" varchar(255) not null, "started_on" date not null, "outcome" "justice"."mediation_outcome" not null, "agreement" text null, "closed_on" date null, "district_code" varchar(6) not null, "township_code" varchar(9) not null, constraint "mediation_case_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "justice"."mediation_case" add constraint "mediation_case_grid_event_id_unique" unique ("grid_event_id");`);
    this.addSql(`create index "mediation_case_district_code_index" on "justice"."mediation_case" ("district_code");`);
    this.addSql(`create index "mediation_case_started_on_id_index" on "justice"."mediation_case" ("started_on", "id");`);

    this.addSql(
      `create table "justice"."mediation_party" ("mediation_id" varchar(255) not null, "person_id" varchar(33) not null, "seq" smallint not null, constraint "mediation_party_pkey" primary key ("mediation_id", "person_id"));`,
    );
    this.addSql(`create index "mediation_party_person_id_index" on "justice"."mediation_party" ("person_id");`);

    this.addSql(
      `create table "justice"."mediation_point" ("id" varchar(255) not null, "name" varchar(255) not null, "kind" "justice"."mediation_point_kind" not null, "township_code" varchar(9) not null, "district_code" varchar(6) not null, constraint "mediation_point_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "justice"."mediator" ("id" varchar(255) not null, "name" varchar(255) not null, "phone" varchar(255) not null, "point_id" varchar(255) not null, constraint "mediator_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "mediator_point_id_index" on "justice"."mediator" ("point_id");`);

    // Division filters are prefix matches (township_code LIKE '211402%'): pattern-ops indexes serve them in any collation.
    this.addSql(`create index "mediation_point_township_code_prefix_index" on "justice"."mediation_point" ("township_code" varchar_pattern_ops, "id");`);
    this.addSql(`create index "mediation_case_township_code_prefix_index" on "justice"."mediation_case" ("township_code" varchar_pattern_ops);`);
  }
}
