import { Migration } from '@mikro-orm/migrations';
import { namePinyin } from '../../src/shared/pinyin';

/**
 * Person search: the name's pinyin stored beside it (PostgreSQL has no pinyin of its own), filled
 * in for residents already registered, and trigram indexes (pg_trgm, a trusted extension, kept in
 * the grid schema) so a fragment anywhere in a name, pinyin, phone or address is found by index.
 */
export class Migration20261203170000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(`create extension if not exists pg_trgm with schema "grid";`);
    await this.execute(`alter table "grid"."person" add column "name_pinyin" varchar(255) null;`);
    // One statement for the whole registry: names repeat, so each distinct name is converted once.
    const names = (await this.execute(`select distinct "name" from "grid"."person";`)) as Array<{ name: string }>;
    if (names.length) {
      const pinyin = Object.fromEntries(names.map(({ name }) => [name, namePinyin(name)]));
      await this.execute(`update "grid"."person" p set "name_pinyin" = m.value from jsonb_each_text(?::jsonb) m where p."name" = m.key;`, [
        JSON.stringify(pinyin),
      ]);
    }
    await this.execute(`alter table "grid"."person" alter column "name_pinyin" set not null;`);
    for (const column of ['name', 'name_pinyin', 'phone', 'address'])
      await this.execute(`create index "person_${column}_trgm_index" on "grid"."person" using gin ("${column}" grid.gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    for (const column of ['name', 'name_pinyin', 'phone', 'address']) await this.execute(`drop index "grid"."person_${column}_trgm_index";`);
    await this.execute(`alter table "grid"."person" drop column "name_pinyin";`);
    await this.execute(`drop extension if exists pg_trgm;`);
  }
}
