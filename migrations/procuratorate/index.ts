import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014725 } from './Migration20261129014725';
import { Migration20261203100001 } from './Migration20261203100001';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261204160000 } from './Migration20261204160000';
import { Migration20261204223714 } from './Migration20261204223714';

/** The procuratorate's migrations, in order. `npm run hub -- migration create procuratorate` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014725', class: Migration20261129014725 },
  { name: 'Migration20261203100001', class: Migration20261203100001 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261204160000', class: Migration20261204160000 },
  { name: 'Migration20261204223714', class: Migration20261204223714 },
];
