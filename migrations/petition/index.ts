import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261205000000 } from './Migration20261205000000';

/** The migrations of the hub's own schema for the petition bureau (its statistics release); the bureau's system is never migrated. */
export const migrations: MigrationObject[] = [{ name: 'Migration20261205000000', class: Migration20261205000000 }];
