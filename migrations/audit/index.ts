import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129020000 } from './Migration20261129020000';
import { Migration20261129030000 } from './Migration20261129030000';
import { Migration20261203100000 } from './Migration20261203100000';

/** The audit trail's migrations, in order (applied by every subgraph that writes to the trail, and by the audit subgraph). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129020000', class: Migration20261129020000 },
  { name: 'Migration20261129030000', class: Migration20261129030000 },
  { name: 'Migration20261203100000', class: Migration20261203100000 },
];
