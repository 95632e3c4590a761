import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014802 } from './Migration20261129014802';

/** The justice department's migrations, in order. `npm run hub -- migration create justice` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261129014802', class: Migration20261129014802 },
];
