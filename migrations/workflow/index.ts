import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261204160000 } from './Migration20261204160000';
import { Migration20261204203148 } from './Migration20261204203148';
import { Migration20261204213841 } from './Migration20261204213841';
import { Migration20261204234152 } from './Migration20261204234152';

/** The workflow subgraph's migrations, in order. `npm run hub -- migration create workflow` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261204160000', class: Migration20261204160000 },
  { name: 'Migration20261204203148', class: Migration20261204203148 },
  { name: 'Migration20261204213841', class: Migration20261204213841 },
  { name: 'Migration20261204234152', class: Migration20261204234152 },
];
