import type { Constructor, EntityClass, MigrationObject } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { InternalCalls } from '../auth/internalCall';
import type { NonEmptyArray } from 'type-graphql';
import type { SubgraphName } from '../shared/config';
import type { DemoCitySource } from '../demo/types';
import type { DepartmentColumns } from '../shared/statisticsColumns';
import type { Policy } from '../policy/policy';
import type { DepartmentApi } from './api';
import type { RowStream, SeedRow } from './bulk';
import type { CaseLinkFinder } from './caseLinks';
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
  return { entity, rows };
}

/**
 * A department whose records stay in its own system's database (e.g. the 信访 bureau's case system):
 * the hub reads its tables as they are, with a read-only connection (`DATABASE_URL_<NAME>`), and
 * never migrates or seeds them; its audit trail goes to the hub's own database. What the hub keeps
 * for it (its statistics release) lives in a schema of the hub's database named after the
 * department, made by its `migrations` (`withHubSchema` in kit/migrate.ts).
 */
export interface ExistingDatabase {
  /** The PostgreSQL schema that holds the system's tables. */
  schema: string;
  /**
   * Dev and tests only: a SQL file (from the repository root) that creates a stand-in for the
   * system in the hub's database when no `DATABASE_URL_<NAME>` is set and the schema is absent.
   */
  devFixture?: string;
}

/**
 * A department whose records stay behind its own REST/JSON API (e.g. the 12345 hotline): the
 * subgraph calls it through `client` (timeouts, retries, circuit breaker); `API_URL_<NAME>` says
 * where it is.
 */
export interface ExistingApi {
  client: DepartmentApi;
  /**
   * Dev only: starts a stand-in for the API when `API_URL_<NAME>` is not set (0: a free port), on
   * 127.0.0.1 unless `host` says otherwise (`hub stand-in`, in a container of docker/compose.yaml).
   */
  devService?: (port: number, host?: string) => Promise<{ url: string; stop(): Promise<void> }>;
  /** The stand-in's port in dev mode (`npm start`). */
  devPort?: number;
}

/** What a subgraph's job queue worker needs: its database, and to call other departments the way the gateway does. */
export interface JobQueueDeps extends InternalCalls {
  /** The subgraph's own database (its serving login). */
  databaseUrl: string;
  /** How often to look for jobs due later (retries); new jobs come by LISTEN/NOTIFY at once. */
  pollIntervalMs?: number;
}

/** A PostgreSQL job queue a subgraph keeps in a schema of its database (graphile-worker), and the worker that runs its jobs. */
export interface JobQueue {
  schema: string;
  /** The subgraphs this one calls (its jobs' effects, its own checks): the deployment lets it reach them and no others. */
  calls: SubgraphName[];
  /** Creates or updates the queue's schema (as the database's owner, with the subgraph's own migrations). */
  migrate(databaseUrl: string): Promise<void>;
  start(deps: JobQueueDeps): Promise<{ stop(): Promise<void> }>;
}

// A department's statistics release is decided by src/analytics (which sits on the kit); the kit only names what a refresh reports.
/** How a release's audit went, summed over rounds: withheld cells proven wide by a witness, narrow by a single line, and those the LP decided (cached ones included). */
export interface AuditStats {
  rounds: number;
  witnessed: number;
  /** Narrow by a single line, without the LP. */
  bounded: number;
  solved: number;
}

/** What a refresh stored: cells, how many of them withheld, and how the audit decided them. */
export interface ReleaseSummary {
  cells: number;
  withheld: number;
  audit: AuditStats;
}

/** How a refresh runs: `onlyIfMissing` decides only statistics without a stored release (as a start does). */
export interface RefreshOptions {
  onlyIfMissing?: boolean;
  /**
   * Where the release is stored, when not beside the records `em` reads: the hub's own schema for a
   * department whose records stay in its own, read-only system.
   */
  store?: EntityManager;
}

/** What an internal step runs with: the department's own database and its policy (its release rules). */
export interface StepContext {
  department: string;
  em: EntityManager;
  policy: Policy;
}

/**
 * An internal step a hub service (not a caller, never through the gateway) calls on a department:
 * `POST /internal/<name>` on its public port with a step token for this department and step
 * (auth/stepToken.ts), or in process in embedded mode. The body and the answer are JSON; a refusal
 * is an HttpError with a stable code.
 */
export interface ServiceStep {
  /** The only service whose token is accepted (the token's subject `service:<name>`). */
  service: string;
  /** The largest body accepted, in bytes. */
  maxBodyBytes: number;
  run(ctx: StepContext, body: unknown): Promise<unknown>;
}

/**
 * Everything that makes a folder under src/subgraphs/ a subgraph. It declares it once in its
 * `index.ts`; the kit turns it into a schema, a server and migrations.
 */
export interface SubgraphDefinition {
  name: SubgraphName;
  /** MikroORM entities, stored in the PostgreSQL schema named after the subgraph. */
  entities: Constructor<object>[];
  /** Its schema's migrations; for a department with `existingDatabase`, those of the hub's own schema for it (none: the hub keeps nothing for it). */
  migrations: MigrationObject[];
  /** Set when the records stay in the department's own database (no migrations, no seed, read-only). */
  existingDatabase?: ExistingDatabase;
  /** Set when the records stay behind the department's own REST API (no tables of its own). */
  existingApi?: ExistingApi;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** The department's case records among a set of keys, for the gateway's purpose check (`x-purpose: case:<number>`). */
  caseLinks?: CaseLinkFinder;
  /** `__resolveReference` per entity type name. */
  referenceResolvers: Record<string, ReferenceResolver>;
  /** Its part of the demo city; a subgraph without one (the audit trail fills as people use the hub) is never seeded. */
  seed?(city: DemoCitySource, settings: SeedSettings): SeedTable[];
  /** This subgraph exports the audit trail's signed chain heads on a schedule (the audit subgraph). */
  exportsAuditHeads?: boolean;
  /** Its columns in the statistics export, declared beside its statistics. */
  statisticsColumns?: DepartmentColumns;
  /** Decides and stores its statistics release (`hub stats refresh`, after a seed, at start when none is stored); returns what it stored. */
  refreshStatistics?: (em: EntityManager, rules: { threshold: number; protection: number }, opts?: RefreshOptions) => Promise<ReleaseSummary>;
  /**
   * The property that names a record in the audit trail, for audited types without a federation
   * `@key` (a type with one is named by its key field).
   */
  auditIds?: Record<string, string>;
  /** Its job queue, when it has work to do after a request (the workflow's effects in other departments). */
  jobQueue?: JobQueue;
  /** Internal steps hub services call on it, by name (`POST /internal/<name>`): its side of 民转刑. */
  serviceSteps?: Record<string, ServiceStep>;
  /** Called once the subgraph's database is open (e.g. to register gauges read from it at each scrape); returns what to undo at stop. */
  started?(orm: MikroORM): () => void;
}

/** A department: a subgraph that holds records of its own, with its part of the demo city. */
export interface DepartmentDefinition extends SubgraphDefinition {
  /**
   * The department's part of the demo city, table by table in load order; the kit bulk-loads them
   * (COPY) into its empty schema. Rows are generated as they are loaded, so a city of millions
   * never sits in memory; `city.persons` may be a stream that can be read once, before the other
   * lists of the city.
   */
  seed(city: DemoCitySource, settings: SeedSettings): SeedTable[];
}
