import { Client } from 'pg';
import { idNumberProblem } from '../../shared/idNumber';
import { ScaffoldError } from './errors';

/**
 * What `hub new-department <name> --from-database <url>` learns about a department's existing
 * tables, read-only. Tables and columns come from information_schema (portable, one query each);
 * primary and foreign keys from pg_catalog, because information_schema only shows the constraints
 * of tables the reading role owns, and the hub reads the bureau's tables with a login that does not.
 * (MikroORM's entity generator was the other candidate: it writes ORM entities only, without the
 * GraphQL side, the person links or the checks below, so the scaffold would have to re-read its output.)
 */

/** How a PostgreSQL column type is read and shown: MikroORM property type and GraphQL type. */
export interface ColumnMapping {
  orm: 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime';
  graphql: 'String' | 'Int' | 'Float' | 'Boolean' | 'Date';
}

/** PostgreSQL types (`udt_name`) the scaffold maps; anything else is refused with its name. */
const MAPPINGS: Record<string, ColumnMapping> = {
  varchar: { orm: 'string', graphql: 'String' },
  bpchar: { orm: 'string', graphql: 'String' },
  text: { orm: 'string', graphql: 'String' },
  uuid: { orm: 'string', graphql: 'String' },
  int2: { orm: 'integer', graphql: 'Int' },
  int4: { orm: 'integer', graphql: 'Int' },
  // Beyond GraphQL's 32-bit Int, and exact: shown as the text PostgreSQL gives.
  int8: { orm: 'string', graphql: 'String' },
  numeric: { orm: 'string', graphql: 'String' },
  float4: { orm: 'float', graphql: 'Float' },
  float8: { orm: 'float', graphql: 'Float' },
  bool: { orm: 'boolean', graphql: 'Boolean' },
  date: { orm: 'date', graphql: 'String' },
  timestamp: { orm: 'datetime', graphql: 'Date' },
  timestamptz: { orm: 'datetime', graphql: 'Date' },
};

export interface ExistingColumn {
  column: string;
  /** camelCase of the column: the entity property and the GraphQL field. */
  prop: string;
  nullable: boolean;
  mapping: ColumnMapping;
  /** The column holds ID numbers (公民身份号码): not shown, linked to `Person` by the key computed from it. */
  idNumber: boolean;
  /** The system's own comment on the column (`comment on column`), the start of its GraphQL description. */
  comment: string | null;
}

export interface ExistingTable {
  table: string;
  /** `PetitionCase`: the department's name and the table's name without the prefix all tables share. */
  type: string;
  one: string;
  many: string;
  key: ExistingColumn;
  columns: ExistingColumn[];
  /** Single-column foreign keys to another table of the selection. */
  references: Array<{ column: ExistingColumn; target: string }>;
}

export interface ExistingModel {
  schema: string;
  tables: ExistingTable[];
}

export interface ReadOptions {
  url: string;
  schema: string;
  tables?: string[];
  /** Prefix of the generated type names (the department's name in PascalCase). */
  typePrefix: string;
  connectTimeoutMs?: number;
}

const pascal = (snake: string) =>
  snake
    .split(/[_\W]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const camel = (snake: string) => {
  const p = pascal(snake);
  return p[0].toLowerCase() + p.slice(1);
};

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** The prefix every table shares up to an underscore (`xf_` of `xf_case`, `xf_person`), dropped from type names. */
function sharedPrefix(tables: string[]): string {
  const first = /^[a-z0-9]+_/i.exec(tables[0])?.[0];
  return first && tables.every((t) => t.startsWith(first) && t.length > first.length) ? first : '';
}

/** Whether most of a column's sampled values are valid ID numbers (legacy data has a few that are not). */
function looksLikeIdNumbers(values: string[]): boolean {
  if (!values.length) return false;
  const valid = values.filter((v) => idNumberProblem(v.trim()) === null).length;
  return valid >= Math.max(1, Math.ceil(values.length * 0.8));
}

/** Reads the tables of `schema` (or the named ones) and checks that the hub can map each. */
export async function readExistingDatabase(opts: ReadOptions): Promise<ExistingModel> {
  const client = new Client({
    connectionString: opts.url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    // The scaffold only reads: every statement of this session runs read-only.
    options: '-c default_transaction_read_only=on -c statement_timeout=10000',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new ScaffoldError(`cannot reach the database at ${redactUrl(opts.url)}: ${(e as Error).message.split('\n')[0] || (e as NodeJS.ErrnoException).code}`);
  }
  try {
    return await readModel(client, opts);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readModel(client: Client, opts: ReadOptions): Promise<ExistingModel> {
  const { schema } = opts;
  const all = (
    await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
      [schema],
    )
  ).rows.map((r) => r.table_name);
  if (!all.length) throw new ScaffoldError(`schema "${schema}" has no tables this login can read (pass --schema, or grant it SELECT)`);
  const names = opts.tables ?? all;
  const missing = names.filter((t) => !all.includes(t));
  if (missing.length) throw new ScaffoldError(`table ${missing.map((t) => `${schema}.${t}`).join(', ')} not found; the schema has: ${all.join(', ')}`);

  const columns = (
    await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: 'YES' | 'NO'; comment: string | null }>(
      `select table_name, column_name, udt_name, is_nullable,
              col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position::int) as comment
         from information_schema.columns where table_schema = $1 and table_name = any($2) order by table_name, ordinal_position`,
      [schema, names],
    )
  ).rows;
  const constraints = (
    await client.query<{ table_name: string; kind: 'p' | 'f'; columns: string[]; ref_table: string | null; ref_column: string | null }>(
      `select cl.relname as table_name, con.contype as kind,
            array(select a.attname from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k)::text[] as columns,
            rcl.relname as ref_table, ra.attname as ref_column
       from pg_constraint con
       join pg_class cl on cl.oid = con.conrelid
       join pg_namespace ns on ns.oid = cl.relnamespace
       left join pg_class rcl on rcl.oid = con.confrelid
       left join pg_attribute ra on ra.attrelid = con.confrelid and ra.attnum = con.confkey[1]
      where ns.nspname = $1 and con.contype in ('p', 'f') and cl.relname = any($2)`,
      [schema, names],
    )
  ).rows;

  const prefix = sharedPrefix(names);
  const tables: ExistingTable[] = [];
  for (const table of names) {
    const where = `${schema}.${table}`;
    const pk = constraints.find((c) => c.table_name === table && c.kind === 'p');
    if (!pk)
      throw new ScaffoldError(
        `table ${where} has no primary key; the hub reads records by key: give it one in the department's system, or leave it out with --tables`,
      );
    if (pk.columns.length !== 1)
      throw new ScaffoldError(
        `table ${where} has a primary key of ${pk.columns.length} columns (${pk.columns.join(', ')}); only single-column keys are supported: leave it out with --tables`,
      );
    const cols: ExistingColumn[] = [];
    for (const c of columns.filter((col) => col.table_name === table)) {
      const mapping = MAPPINGS[c.udt_name];
      if (!mapping)
        throw new ScaffoldError(
          `column ${where}.${c.column_name} has type ${c.udt_name}, which has no GraphQL mapping (${Object.keys(MAPPINGS).join(', ')}); leave the table out with --tables`,
        );
      let idNumber = false;
      if (mapping.orm === 'string' && c.column_name !== pk.columns[0]) {
        const sample = await client.query<{ v: string }>(
          `select "${c.column_name}" as v from "${schema}"."${table}" where "${c.column_name}" is not null limit 50`,
        );
        idNumber = looksLikeIdNumbers(sample.rows.map((r) => r.v));
      }
      cols.push({
        column: c.column_name,
        prop: camel(c.column_name),
        nullable: c.is_nullable === 'YES',
        mapping,
        idNumber,
        comment: c.comment?.trim() || null,
      });
    }
    const type = opts.typePrefix + pascal(table.slice(prefix.length));
    const one = type[0].toLowerCase() + type.slice(1);
    tables.push({
      table,
      type,
      one,
      many: `${one}s`,
      key: cols.find((c) => c.column === pk.columns[0])!,
      columns: cols,
      references: [],
    });
  }
  for (const fk of constraints.filter((c) => c.kind === 'f' && c.columns.length === 1)) {
    const from = tables.find((t) => t.table === fk.table_name)!;
    const target = tables.find((t) => t.table === fk.ref_table);
    // A reference to a table left out (or to a column that is not its key) stays a plain value.
    if (target && target.key.column === fk.ref_column)
      from.references.push({ column: from.columns.find((c) => c.column === fk.columns[0])!, target: target.type });
  }
  checkFieldNames(tables);
  return { schema, tables };
}

/** Field names the scaffold adds (links) must not clash with the columns' own. */
function checkFieldNames(tables: ExistingTable[]): void {
  for (const t of tables) {
    const fields = [...t.columns.filter((c) => !c.idNumber).map((c) => c.prop), ...linkFields(t, tables).map((l) => l.field)];
    const twice = fields.filter((f, i) => fields.indexOf(f) !== i);
    if (twice.length)
      throw new ScaffoldError(
        `table ${t.table}: the field name ${twice[0]} would be used twice (a column and a link); rename the column in a view, or leave the table out with --tables`,
      );
  }
}

/** A field the scaffold adds to a table's type: to `Person`, to a referenced record, or the records referencing it. */
export interface LinkField {
  field: string;
  kind: 'person' | 'reference' | 'referencedBy';
  column: ExistingColumn;
  /** The type linked to (`Person` for kind person). */
  target: string;
  /** For `referencedBy`: the referencing table. */
  from?: ExistingTable;
}

export function linkFields(t: ExistingTable, tables: ExistingTable[]): LinkField[] {
  const ids = t.columns.filter((c) => c.idNumber);
  const links: LinkField[] = ids.map((c) => ({ field: ids.length === 1 ? 'person' : `${c.prop}Person`, kind: 'person', column: c, target: 'Person' }));
  for (const r of t.references) {
    const target = tables.find((x) => x.type === r.target)!;
    const several = t.references.filter((x) => x.target === r.target).length > 1;
    links.push({ field: several ? `${r.column.prop}${target.type}` : target.one, kind: 'reference', column: r.column, target: target.type });
  }
  for (const from of tables) {
    for (const r of from.references.filter((x) => x.target === t.type)) {
      const several = from.references.filter((x) => x.target === t.type).length > 1;
      links.push({ field: several ? `${from.many}By${pascal(r.column.column)}` : from.many, kind: 'referencedBy', column: r.column, target: from.type, from });
    }
  }
  return links;
}
