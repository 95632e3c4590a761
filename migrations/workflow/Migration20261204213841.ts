import { Migration } from '@mikro-orm/migrations';

/** Signed webhooks per receiving unit and their deliveries (src/subgraphs/workflow/webhooks.ts). */
export class Migration20261204213841 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "workflow"."delivery_state" as enum ('PENDING', 'DELIVERED', 'FAILED');`);
    this.addSql(`create table "workflow"."webhook" (
      "id" bigserial, "agency" varchar(20) not null, "unit_code" varchar(12) not null, "unit_prefix" varchar(12) not null, "url" varchar(2000) not null,
      "sealed_secret" text not null, "created_by" varchar(100) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null,
      constraint "webhook_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_agency_unit_prefix_index" on "workflow"."webhook" ("agency", "unit_prefix");`);
    this.addSql(`create table "workflow"."webhook_delivery" (
      "id" bigserial, "webhook_id" bigint not null, "step_seq" bigint not null, "handoff_id" varchar(20) not null, "state" "workflow"."delivery_state" not null,
      "attempts" int not null default 0, "last_error" varchar(300) null, "created_at" timestamptz not null, "delivered_at" timestamptz null, "failed_at" timestamptz null,
      constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_webhook_id_state_id_index" on "workflow"."webhook_delivery" ("webhook_id", "state", "id");`);
  }
}
