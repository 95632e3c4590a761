import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014710 } from './Migration20261129014710';
import { Migration20261203100000 } from './Migration20261203100000';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261203172407 } from './Migration20261203172407';
import { Migration20261204203851 } from './Migration20261204203851';

/** The police department's migrations, in order. `npm run hub -- migration create police` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014710', class: Migration20261129014710 },
  { name: 'Migration20261203100000', class: Migration20261203100000 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261203172407', class: Migration20261203172407 },
  { name: 'Migration20261204203851', class: Migration20261204203851 },
];
