import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204230349 } from './Migration20261204230349';
import { Migration20261204231647 } from './Migration20261204231647';
import { Migration20261129013626 } from './Migration20261129013626';
import { Migration20261203170000 } from './Migration20261203170000';
import { Migration20261203175000 } from './Migration20261203175000';
import { Migration20261204160000 } from './Migration20261204160000';
import { Migration20261204163000 } from './Migration20261204163000';
import { Migration20261204213742 } from './Migration20261204213742';
import { Migration20261204221409 } from './Migration20261204221409';

/** The grid department's migrations, in order. `npm run hub -- migration create grid` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129013626', class: Migration20261129013626 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
  { name: 'Migration20261203175000', class: Migration20261203175000 },
  { name: 'Migration20261204160000', class: Migration20261204160000 },
  { name: 'Migration20261204163000', class: Migration20261204163000 },
  { name: 'Migration20261204213742', class: Migration20261204213742 },
  { name: 'Migration20261204221409', class: Migration20261204221409 },
  { name: 'Migration20261204230349', class: Migration20261204230349 },
  { name: 'Migration20261204231647', class: Migration20261204231647 },
];
