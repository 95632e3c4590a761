import { Migration } from '@mikro-orm/migrations';

/** Grid centroids (WGS-84, 5 decimals) for the hotspot map (src/subgraphs/grid/hotspots.ts); null until a grid is mapped. */
export class Migration20261204231647 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "grid"."grid" add column "longitude" numeric(8,5) null, add column "latitude" numeric(7,5) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "grid"."grid" drop column "longitude", drop column "latitude";`);
  }
}
