import type { Constructor, EntityClass, MigrationObject } from '@mikro-orm/core';
import type { NonEmptyArray } from 'type-graphql';
import type { SubgraphName } from '../shared/config';
import type { DemoCitySource } from '../shared/demo/types';
import type { RowStream, SeedRow } from './bulk';
import type { SubgraphContext } from './context';

export type ReferenceResolver = (representation: Record<string, unknown>, context: SubgraphContext) => unknown;

export interface SeedSettings {
  personKeySecret: string;
}

/** One table of a department's seed: its entity and the rows, made only when the loader asks (in table order). */
export interface SeedTable<T extends object = object> {
  entity: EntityClass<T>;
  rows: () => RowStream<SeedRow<T>>;
}

/** Declares one seed table (keeps the row type tied to the entity). */
export function seedTable<T extends object>(entity: EntityClass<T>, rows: () => RowStream<SeedRow<T>>): SeedTable {
  return { entity, rows } as unknown as SeedTable;
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
  /**
   * The department's part of the demo city, table by table in load order; the kit bulk-loads them
   * (COPY) into its empty schema. Rows are generated as they are loaded, so a city of millions
   * never sits in memory; `city.persons` may be a stream that can be read once, before the other
   * lists of the city.
   */
  seed(city: DemoCitySource, settings: SeedSettings): SeedTable[];
  /** This subgraph exports the audit trail's signed chain heads on a schedule (the audit subgraph). */
  exportsAuditHeads?: boolean;
}
