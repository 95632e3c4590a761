import { Migration } from '@mikro-orm/migrations';

/** The police department's initial schema: incidents, criminal cases and their participants, auxiliary officers. */
export class Migration20261129014710 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "police";`);
    this.addSql(`create type "police"."case_participant_role" as enum ('SUSPECT', 'VICTIM', 'WITNESS');`);
    this.addSql(`create type "police"."police_case_stage" as enum ('FILED', 'INVESTIGATING', 'TRANSFERRED', 'CLOSED');`);
    this.addSql(
      `create table "police"."auxiliary_officer" ("id" varchar(7) not null, "name" varchar(255) not null, "phone" varchar(255) not null, "village" varchar(255) not null, "grid_code" varchar(12) not null, "township_code" varchar(9) not null, constraint "auxiliary_officer_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "police"."case_participant" ("case_no" varchar(16) not null, "person_id" varchar(33) not null, "role" "police"."case_participant_role" not null, constraint "case_participant_pkey" primary key ("case_no", "person_id"));`,
    );
    this.addSql(`create index "case_participant_person_id_index" on "police"."case_participant" ("person_id");`);

    this.addSql(
      `create table "police"."incident" ("id" varchar(12) not null, "kind" varchar(255) not null, "summary" text not null, "reported_at" timestamptz not null, "district_code" varchar(6) not null, "grid_code" varchar(12) not null, "reporter_id" varchar(33) null, constraint "incident_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "incident_reporter_id_index" on "police"."incident" ("reporter_id");`);
    this.addSql(`create index "incident_reported_at_id_index" on "police"."incident" ("reported_at", "id");`);

    this.addSql(
      `create table "police"."police_case" ("case_no" varchar(16) not null, "charge" varchar(255) not null, "stage" "police"."police_case_stage" not null, "filed_on" date not null, "occurred_at" timestamptz not null, "district_code" varchar(6) not null, "grid_code" varchar(12) not null, "officer_id" varchar(255) not null, "incident_id" varchar(12) not null, "transferred_on" date null, constraint "police_case_pkey" primary key ("case_no"));`,
    );
    this.addSql(`create index "police_case_stage_index" on "police"."police_case" ("stage");`);
    this.addSql(`create index "police_case_officer_id_index" on "police"."police_case" ("officer_id");`);
    this.addSql(`alter table "police"."police_case" add constraint "police_case_incident_id_unique" unique ("incident_id");`);
    this.addSql(`create index "police_case_transferred_on_index" on "police"."police_case" ("transferred_on");`);
    this.addSql(`create index "police_case_filed_on_case_no_index" on "police"."police_case" ("filed_on", "case_no");`);

    // Division filters are prefix matches (grid_code LIKE '211402%'): pattern-ops indexes serve them in any collation.
    this.addSql(`create index "incident_grid_code_prefix_index" on "police"."incident" ("grid_code" varchar_pattern_ops);`);
    this.addSql(`create index "police_case_grid_code_prefix_index" on "police"."police_case" ("grid_code" varchar_pattern_ops);`);
    this.addSql(`create index "auxiliary_officer_grid_code_prefix_index" on "police"."auxiliary_officer" ("grid_code" varchar_pattern_ops, "id");`);
  }
}
