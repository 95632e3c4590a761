import { Migration } from '@mikro-orm/migrations';

/**
 * Community corrections complete (社区矫正法): the sentence executed (缓刑, 假释, 暂予监外执行, 管制), the
 * report, the file of reports, warnings, revocations and releases, the correction group (矫正小组),
 * the pre-sentence assessment (调查评估) a court commissions; one correction per defendant of a
 * judgment; corrections opened by a handover (CC, the year, a serial) above the demo city's serials.
 */
export class Migration20261204214417 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "justice"."correction_status" add value if not exists 'REVOKED';`);
    this.addSql(`create type "justice"."correction_kind" as enum ('PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION', 'PUBLIC_SURVEILLANCE');`);
    this.addSql(`create type "justice"."correction_event_kind" as enum ('REPORTED', 'WARNING', 'REVOCATION', 'RELEASE');`);
    this.addSql(
      `create type "justice"."correction_group_role" as enum ('JUSTICE_OFFICE', 'RESIDENTS_COMMITTEE', 'EMPLOYER_OR_SCHOOL', 'FAMILY', 'GUARDIAN', 'SOCIAL_WORKER', 'VOLUNTEER');`,
    );
    this.addSql(
      `alter table "justice"."community_correction" add column "kind" "justice"."correction_kind" not null default 'PROBATION', add column "reported_on" date null;`,
    );
    this.addSql(`alter table "justice"."community_correction" drop constraint "community_correction_court_case_no_unique";`);
    this.addSql(`create index "community_correction_court_case_no_index" on "justice"."community_correction" ("court_case_no");`);
    this.addSql(
      `alter table "justice"."community_correction" add constraint "community_correction_court_case_no_person_id_unique" unique ("court_case_no", "person_id");`,
    );
    this.addSql(`create sequence if not exists "justice"."community_correction_seq" start 500000;`);
    this.addSql(`create sequence if not exists "justice"."pre_sentence_assessment_seq" start 500000;`);
    this.addSql(
      `create table "justice"."correction_event" ("id" serial primary key, "correction_id" varchar(255) not null, "kind" "justice"."correction_event_kind" not null, "occurred_on" date not null, "reason" text null, "officer_id" varchar(255) not null);`,
    );
    this.addSql(`create index "correction_event_correction_id_index" on "justice"."correction_event" ("correction_id");`);
    this.addSql(
      `create table "justice"."correction_group_member" ("id" serial primary key, "correction_id" varchar(255) not null, "role" "justice"."correction_group_role" not null, "name" varchar(40) not null);`,
    );
    this.addSql(`create index "correction_group_member_correction_id_index" on "justice"."correction_group_member" ("correction_id");`);
    this.addSql(
      `create table "justice"."pre_sentence_assessment" ("id" varchar(255) not null, "court_case_no" varchar(255) not null, "suitable" boolean not null, "opinion" text not null, "answered_on" date not null, "officer_id" varchar(255) not null, "district_code" varchar(6) not null, constraint "pre_sentence_assessment_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "justice"."pre_sentence_assessment" add constraint "pre_sentence_assessment_court_case_no_unique" unique ("court_case_no");`);
  }
}
