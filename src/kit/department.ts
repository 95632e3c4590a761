import type { Constructor, MigrationObject } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NonEmptyArray } from 'type-graphql';
import type { SubgraphName } from '../shared/config';
import type { DemoCity } from '../shared/demo/types';
import type { SubgraphContext } from './context';

export type ReferenceResolver = (representation: Record<string, unknown>, context: SubgraphContext) => unknown;

export interface SeedSettings {
  personKeySecret: string;
}

/**
 * Everything that makes a department folder a subgraph. A department declares it once in its
 * `index.ts`; the kit turns it into a schema, a server, migrations and seeding.
 */
export interface DepartmentDefinition {
  name: SubgraphName;
  /** MikroORM entities, stored in the PostgreSQL schema named after the department. */
  entities: Constructor<object>[];
  migrations: MigrationObject[];
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  referenceResolvers: Record<string, ReferenceResolver>;
  /** Loads the department's part of the demo city into its (empty) schema; returns rows written per table. */
  seed(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>>;
}
