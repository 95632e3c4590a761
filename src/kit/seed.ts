import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DemoCitySource } from '../demo/types';
import { copyRows, dropIndexes, qualifiedTable, restoreIndexes } from './bulk';
import type { SubgraphDefinition, SeedSettings } from './department';

/**
 * What a department's schema says about its demo data, kept as the schema's comment: it travels
 * with the schema (template databases, dumps), needs no table of its own in the department's
 * migrations, and is written in the same transaction as the data.
 */
export interface SeedMarker {
  scale: string;
  seed: number;
  rows: Record<string, number>;
  seededAt: string;
}

const MARKER_KEY = 'pinganHubDemoSeed';

/** Reports the load of each table as it goes (the CLI draws progress bars). */
export interface SeedProgress {
  table(department: string, table: string, expected: number | undefined): { update(sent: number): void; done(rows: number): void };
  /** Something slow between tables: rebuilding indexes. */
  step?(department: string, message: string): void;
}

export interface SeedOptions {
  /** The scale being seeded (small, medium, city or a number of residents), recorded in the marker. */
  scale: string;
  /** Replace what the department holds (another scale, or data not seeded by the hub) instead of refusing. */
  replace?: boolean;
  /** Leave a department that holds anything alone (`npm start`): never an error. */
  onlyIfEmpty?: boolean;
  progress?: SeedProgress;
}

export type SeedOutcome =
  | { department: string; status: 'seeded'; rows: Record<string, number>; ms: number }
  | { department: string; status: 'kept'; reason: string; marker: SeedMarker | null };

/** The department holds data the seed must not silently mix with. */
export class SeedConflictError extends Error {}

async function readMarker(em: EntityManager, schema: string): Promise<SeedMarker | null> {
  const [row] = await em.execute<Array<{ comment: string | null }>>(
    `select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = ?`,
    [schema],
  );
  try {
    const parsed = row?.comment ? (JSON.parse(row.comment) as Record<string, unknown>) : null;
    return (parsed?.[MARKER_KEY] as SeedMarker | undefined) ?? null;
  } catch {
    return null;
  }
}

async function writeMarker(em: EntityManager, schema: string, marker: SeedMarker): Promise<void> {
  const text = JSON.stringify({ [MARKER_KEY]: marker }).replaceAll("'", "''");
  await em.execute(`comment on schema "${schema}" is '${text}'`);
}

/** Tables of the department that hold at least one row. */
async function filledTables(em: EntityManager, def: SubgraphDefinition): Promise<string[]> {
  const filled: string[] = [];
  for (const entity of def.entities) {
    const meta = em.getMetadata().get(entity.name);
    const [row] = await em.execute<Array<{ filled: boolean }>>(`select exists (select 1 from ${qualifiedTable(em, meta)}) as filled`);
    if (row?.filled) filled.push(meta.tableName);
  }
  return filled;
}

/** Why the department is left as it is, or null when it is to be seeded; throws on data that must not be mixed. */
async function reasonToKeep(
  em: EntityManager,
  def: SubgraphDefinition,
  city: DemoCitySource,
  opts: SeedOptions,
): Promise<{ reason: string; marker: SeedMarker | null } | null> {
  const marker = await readMarker(em, def.name);
  if (opts.replace) return null;
  if (marker && marker.scale === opts.scale && marker.seed === city.seed) return { reason: `already seeded at scale ${marker.scale}`, marker };
  const filled = marker ? [] : await filledTables(em, def);
  if (!marker && filled.length === 0) return null;
  if (opts.onlyIfEmpty) return { reason: marker ? `holds the demo city at scale ${marker.scale}` : 'holds data', marker };
  if (marker) {
    throw new SeedConflictError(`${def.name} holds the demo city at scale ${marker.scale} (seed ${marker.seed}); pass --replace to replace it`);
  }
  throw new SeedConflictError(`${def.name} already holds data that hub seed did not write (${filled.join(', ')}); pass --replace to replace it`);
}

/**
 * Loads a department's part of the demo city in ONE transaction, so it is there whole or not at
 * all: each table is emptied (which also lets COPY … FREEZE write its rows already frozen), its
 * indexes and key constraints dropped, its rows streamed in with COPY, its indexes rebuilt and
 * its statistics refreshed; the scale is recorded in the schema's marker last.
 *
 * Idempotent: a department already seeded at this scale and seed is kept as it is; one holding
 * another scale, or data the seed did not write, is an error unless `replace` is set.
 */
export async function seedDepartment(
  def: SubgraphDefinition,
  orm: MikroORM,
  city: DemoCitySource,
  settings: SeedSettings,
  opts: SeedOptions,
): Promise<SeedOutcome> {
  const started = Date.now();
  const tables = def.seed?.(city, settings) ?? [];
  // A subgraph without demo data (an audit trail, say) is never touched, let alone emptied.
  if (tables.length === 0) return { department: def.name, status: 'kept', reason: 'no demo data', marker: null };
  const keep = await reasonToKeep(orm.em.fork(), def, city, opts);
  if (keep) return { department: def.name, status: 'kept', ...keep };
  const rows = await orm.em.fork().transactional(async (em) => {
    // Index builds sort in memory up to this much; the rest spills to disk.
    await em.execute(`set local maintenance_work_mem = '512MB'`);
    // Every table of the department starts empty (what --replace replaces), truncated in this
    // transaction so that COPY may write its rows frozen.
    await em.execute(`truncate ${def.entities.map((e) => qualifiedTable(em, em.getMetadata().get(e.name))).join(', ')}`);
    const written: Record<string, number> = {};
    for (const table of tables) {
      const { tableName } = em.getMetadata().get(table.entity.name);
      const dropped = await dropIndexes(em, table.entity);
      const source = table.rows();
      const bar = opts.progress?.table(def.name, tableName, source.expected ?? (Array.isArray(source) ? source.length : undefined));
      written[tableName] = await copyRows(em, table.entity, source, { freeze: true, onRows: (sent) => bar?.update(sent) });
      bar?.done(written[tableName]);
      opts.progress?.step?.(def.name, `${tableName}: rebuilding ${dropped.restore.length} indexes`);
      await restoreIndexes(em, table.entity, dropped);
    }
    await writeMarker(em, def.name, { scale: opts.scale, seed: city.seed, rows: written, seededAt: new Date().toISOString() });
    return written;
  });
  return { department: def.name, status: 'seeded', rows, ms: Date.now() - started };
}
