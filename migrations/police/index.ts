import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014710 } from './Migration20261129014710';

/** The police department's migrations, in order. `npm run hub -- migration create police` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014710', class: Migration20261129014710 },
];
