import { Migration } from '@mikro-orm/migrations';

/**
 * Where a people's mediation case came from (issue #22): its source, and the referring record of a
 * 警调对接 (the police incident) or a 访调对接 (the petition), each mediated once. The rows already
 * stored came from a grid event when they name one, else from the parties themselves.
 */
export class Migration20261204234117 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "justice"."mediation_source" as enum ('GRID_EVENT', 'POLICE_REFERRAL', 'PETITION_REFERRAL', 'COURT_DELEGATED', 'WALK_IN');`);
    this.addSql(
      `alter table "justice"."mediation_case" add column "source" "justice"."mediation_source" null, add column "incident_id" varchar(12) null, add column "petition_case_id" varchar(20) null;`,
    );
    this.addSql(
      `update "justice"."mediation_case" set "source" = (case when "grid_event_id" is not null then 'GRID_EVENT' else 'WALK_IN' end)::"justice"."mediation_source";`,
    );
    this.addSql(`alter table "justice"."mediation_case" alter column "source" set not null;`);
    this.addSql(`alter table "justice"."mediation_case" add constraint "mediation_case_incident_id_unique" unique ("incident_id");`);
    this.addSql(`alter table "justice"."mediation_case" add constraint "mediation_case_petition_case_id_unique" unique ("petition_case_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "justice"."mediation_case" drop column "source", drop column "incident_id", drop column "petition_case_id";`);
    this.addSql(`drop type "justice"."mediation_source";`);
  }
}
