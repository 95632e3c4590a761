import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014925 } from './Migration20261129014925';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261204160000 } from './Migration20261204160000';
import { Migration20261204221906 } from './Migration20261204221906';
import { Migration20261204224153 } from './Migration20261204224153';
import { Migration20261204224713 } from './Migration20261204224713';
import { Migration20261204231853 } from './Migration20261204231853';

/** The court's migrations, in order. `npm run hub -- migration create court` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014925', class: Migration20261129014925 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261204160000', class: Migration20261204160000 },
  { name: 'Migration20261204221906', class: Migration20261204221906 },
  { name: 'Migration20261204224153', class: Migration20261204224153 },
  { name: 'Migration20261204224713', class: Migration20261204224713 },
  { name: 'Migration20261204231853', class: Migration20261204231853 },
];
