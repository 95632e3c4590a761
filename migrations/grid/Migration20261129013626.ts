import { Migration } from '@mikro-orm/migrations';

/** The grid department's initial schema: divisions, grids, workers, the population registry, events, volunteers. */
export class Migration20261129013626 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "grid";`);
    this.addSql(`create type "grid"."division_level" as enum ('COUNTY', 'TOWNSHIP');`);
    this.addSql(`create type "grid"."grid_event_kind" as enum ('DISPUTE', 'HAZARD', 'PUBLIC_ORDER', 'SERVICE_REQUEST');`);
    this.addSql(`create type "grid"."grid_event_status" as enum ('REPORTED', 'IN_PROGRESS', 'RESOLVED', 'REFERRED');`);
    this.addSql(`create type "grid"."gender" as enum ('MALE', 'FEMALE');`);
    this.addSql(`create type "grid"."household_status" as enum ('REGISTERED', 'FLOATING');`);
    this.addSql(
      `create table "grid"."district" ("code" varchar(9) not null, "name" varchar(255) not null, "level" "grid"."division_level" not null, "parent_code" varchar(9) null, constraint "district_pkey" primary key ("code"));`,
    );
    this.addSql(`create index "district_parent_code_index" on "grid"."district" ("parent_code");`);

    this.addSql(
      `create table "grid"."grid" ("code" varchar(12) not null, "name" varchar(255) not null, "village" varchar(255) not null, "township_code" varchar(9) not null, "district_code" varchar(6) not null, "worker_id" varchar(255) not null, constraint "grid_pkey" primary key ("code"));`,
    );
    this.addSql(`create index "grid_township_code_index" on "grid"."grid" ("township_code");`);
    this.addSql(`create index "grid_district_code_index" on "grid"."grid" ("district_code");`);

    this.addSql(
      `create table "grid"."grid_event" ("id" varchar(255) not null, "kind" "grid"."grid_event_kind" not null, "title" varchar(255) not null, "description" text not null, "status" "grid"."grid_event_status" not null, "grid_code" varchar(12) not null, "reported_by" varchar(255) not null, "reported_at" timestamptz not null, "involved_person_ids" text[] not null, constraint "grid_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "grid_event_status_index" on "grid"."grid_event" ("status");`);
    this.addSql(`create index "grid_event_involved_person_ids_index" on "grid"."grid_event" using gin ("involved_person_ids");`);
    this.addSql(`create index "grid_event_grid_code_reported_at_index" on "grid"."grid_event" ("grid_code", "reported_at");`);
    this.addSql(`create index "grid_event_reported_at_id_index" on "grid"."grid_event" ("reported_at", "id");`);

    this.addSql(
      `create table "grid"."grid_worker" ("id" varchar(255) not null, "name" varchar(255) not null, "phone" varchar(255) not null, "grid_code" varchar(12) not null, constraint "grid_worker_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "grid_worker_grid_code_index" on "grid"."grid_worker" ("grid_code");`);

    this.addSql(
      `create table "grid"."person" ("id" varchar(33) not null, "name" varchar(255) not null, "gender" "grid"."gender" not null, "birth_date" date not null, "id_number" varchar(18) not null, "phone" varchar(255) not null, "address" varchar(255) not null, "household_status" "grid"."household_status" not null, "rental_housing" boolean not null, "grid_code" varchar(12) not null, constraint "person_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "grid"."person" add constraint "person_id_number_unique" unique ("id_number");`);
    this.addSql(`create index "person_grid_code_index" on "grid"."person" ("grid_code");`);

    this.addSql(
      `create table "grid"."volunteer" ("id" varchar(255) not null, "name" varchar(255) not null, "phone" varchar(255) not null, "group_name" varchar(255) not null, "district_code" varchar(6) not null, "service_hours" int not null, constraint "volunteer_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "volunteer_district_code_index" on "grid"."volunteer" ("district_code");`);

    // Division filters are prefix matches (grid_code LIKE '211402%'): pattern-ops indexes serve them in any collation.
    this.addSql(`create index "person_grid_code_prefix_index" on "grid"."person" ("grid_code" varchar_pattern_ops, "id");`);
    this.addSql(`create index "grid_event_grid_code_prefix_index" on "grid"."grid_event" ("grid_code" varchar_pattern_ops);`);
    this.addSql(`create index "grid_code_prefix_index" on "grid"."grid" ("code" varchar_pattern_ops);`);
    // Ids of events reported through the API (GE<year><6 digits>); demo data stays below 500000.
    this.addSql(`create sequence "grid"."grid_event_seq" start 500000;`);
  }
}
