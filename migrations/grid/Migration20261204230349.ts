import { Migration } from '@mikro-orm/migrations';

/** Volunteer service (志愿服务): the groups' projects and their activities (src/subgraphs/grid/volunteering.ts). */
export class Migration20261204230349 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "grid"."volunteer_theme" as enum ('SAFETY_PATROL', 'DISPUTE_MEDIATION', 'LEGAL_PUBLICITY', 'CARE_AND_HELP', 'ANTI_DRUG', 'FIRE_SAFETY');`,
    );
    this.addSql(
      `create table "grid"."volunteer_activity" ("id" varchar(12) not null, "project_id" varchar(11) not null, "held_on" date not null, "district_code" varchar(6) not null, "township_code" varchar(9) not null, "volunteers" smallint not null, "service_hours" int not null, "summary" text not null, constraint "volunteer_activity_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "volunteer_activity_project_id_held_on_id_index" on "grid"."volunteer_activity" ("project_id", "held_on", "id");`);
    this.addSql(`create index "volunteer_activity_district_code_held_on_id_index" on "grid"."volunteer_activity" ("district_code", "held_on", "id");`);

    this.addSql(
      `create table "grid"."volunteer_project" ("id" varchar(11) not null, "name" varchar(255) not null, "group_name" varchar(255) not null, "theme" "grid"."volunteer_theme" not null, "district_code" varchar(6) not null, "started_on" date not null, constraint "volunteer_project_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "volunteer_project_district_code_index" on "grid"."volunteer_project" ("district_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "grid"."volunteer_activity" cascade;`);

    this.addSql(`drop table if exists "grid"."volunteer_project" cascade;`);

    this.addSql(`drop type "grid"."volunteer_theme";`);
  }
}
