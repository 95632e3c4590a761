import { Migration } from '@mikro-orm/migrations';

/**
 * The grid worker's objects (issue #22): houses and rentals (实有房屋, 出租房屋), special
 * populations (特殊人群), key places (重点场所) and visits (走访); each resident's house.
 */
export class Migration20261204213742 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "grid"."house_occupancy" as enum ('OWNER_OCCUPIED', 'RENTED', 'VACANT');`);
    this.addSql(`create type "grid"."special_population_kind" as enum ('RELEASED_PRISONER', 'COMMUNITY_CORRECTION', 'SEVERE_MENTAL_ILLNESS', 'DRUG_USER');`);
    this.addSql(`create type "grid"."key_place_kind" as enum ('SCHOOL', 'KINDERGARTEN', 'HOSPITAL', 'MARKET', 'HAZARDOUS_GOODS');`);
    this.addSql(`create type "grid"."visit_purpose" as enum ('SPECIAL_POPULATION', 'RENTAL_CHECK', 'KEY_PLACE_INSPECTION', 'ROUTINE');`);
    this.addSql(
      `create table "grid"."house" ("id" varchar(17) not null, "grid_code" varchar(12) not null, "address" varchar(255) not null, "occupancy" "grid"."house_occupancy" not null, "owner_id" varchar(33) null, "tenants_declared" int not null, "rented_since" date null, constraint "house_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "house_grid_code_index" on "grid"."house" ("grid_code");`);
    this.addSql(
      `create table "grid"."special_population" ("id" varchar(10) not null, "person_id" varchar(33) not null, "grid_code" varchar(12) not null, "kind" "grid"."special_population_kind" not null, "registered_on" date not null, "responsible_agency" varchar(16) not null, "measures" text not null, constraint "special_population_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "special_population_person_id_index" on "grid"."special_population" ("person_id");`);
    this.addSql(`create index "special_population_grid_code_index" on "grid"."special_population" ("grid_code");`);
    this.addSql(
      `create table "grid"."key_place" ("id" varchar(16) not null, "grid_code" varchar(12) not null, "name" varchar(255) not null, "kind" "grid"."key_place_kind" not null, "address" varchar(255) not null, "manager_name" varchar(255) not null, "manager_phone" varchar(255) not null, constraint "key_place_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "key_place_grid_code_index" on "grid"."key_place" ("grid_code");`);
    this.addSql(
      `create table "grid"."visit" ("id" varchar(12) not null, "grid_code" varchar(12) not null, "visited_by" varchar(255) not null, "visited_at" timestamptz not null, "purpose" "grid"."visit_purpose" not null, "person_id" varchar(33) null, "house_id" varchar(17) null, "key_place_id" varchar(16) null, "note" text not null, constraint "visit_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "visit_person_id_index" on "grid"."visit" ("person_id");`);
    this.addSql(`create index "visit_grid_code_visited_at_index" on "grid"."visit" ("grid_code", "visited_at");`);
    // New visits are numbered after the demo's (a year's demo visits stay far below 500000).
    this.addSql(`create sequence "grid"."visit_seq" start 500000;`);
    this.addSql(`alter table "grid"."person" add column "house_id" varchar(17) null;`);
    this.addSql(`create index "person_house_id_index" on "grid"."person" ("house_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "grid"."person" drop column "house_id";`);
    this.addSql(`drop sequence "grid"."visit_seq";`);
    this.addSql(`drop table "grid"."visit", "grid"."key_place", "grid"."special_population", "grid"."house";`);
    this.addSql(`drop type "grid"."visit_purpose", "grid"."key_place_kind", "grid"."special_population_kind", "grid"."house_occupancy";`);
  }
}
