import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014802 } from './Migration20261129014802';
import { Migration20261203100002 } from './Migration20261203100002';
import { Migration20261203140000 } from './Migration20261203140000';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261204160000 } from './Migration20261204160000';
import { Migration20261204214417 } from './Migration20261204214417';
import { Migration20261204225308 } from './Migration20261204225308';
import { Migration20261204234117 } from './Migration20261204234117';

/** The justice department's migrations, in order. `npm run hub -- migration create justice` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014802', class: Migration20261129014802 },
  { name: 'Migration20261203100002', class: Migration20261203100002 },
  { name: 'Migration20261203140000', class: Migration20261203140000 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261204160000', class: Migration20261204160000 },
  { name: 'Migration20261204214417', class: Migration20261204214417 },
  { name: 'Migration20261204225308', class: Migration20261204225308 },
  { name: 'Migration20261204234117', class: Migration20261204234117 },
];
