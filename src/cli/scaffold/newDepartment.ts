import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../../shared/registry';
import { ScaffoldError } from './errors';
import {
  departmentNames,
  entitiesFile,
  extendsFile,
  indexFile,
  keysFile,
  migrationFile,
  migrationIndexFile,
  policyEntries,
  resolversFile,
  seedFile,
  testFile,
  type DepartmentNames,
} from './templates';
import {
  existingEntitiesFile,
  existingIndexFile,
  existingLoadersFile,
  existingPolicyEntries,
  existingResolversFile,
  existingExtendsFile,
  existingTestFile,
  type ExistingNames,
} from './existingTemplates';
import { readExistingDatabase } from './fromDatabase';
import { readOpenApi } from './fromOpenApi';
import {
  apiClientFile,
  apiEntitiesFile,
  apiIndexFile,
  apiLoadersFile,
  apiPolicyEntries,
  apiResolversFile,
  apiExtendsFile,
  apiTestFile,
  type ApiNames,
} from './openapiTemplates';

export { ScaffoldError };

/** Folder names under src/subgraphs/ that are not departments. */
const RESERVED = new Set(['kit', 'index', 'shared']);

/**
 * Checks a new department's name: lowercase letters and digits (it becomes a folder, a PostgreSQL
 * schema, a subgraph name and a prefix of GraphQL names), and not taken.
 */
export function checkNewName(root: string, name: string): void {
  if (!/^[a-z][a-z0-9]{1,29}$/.test(name)) {
    throw new ScaffoldError(
      `department name "${name}" must be 2 to 30 lowercase letters a-z or digits, starting with a letter (it names a folder, a database schema and GraphQL fields), e.g. petition`,
    );
  }
  if (
    (SUBGRAPHS as readonly string[]).includes(name) ||
    RESERVED.has(name) ||
    existsSync(join(root, 'src', 'subgraphs', name)) ||
    existsSync(join(root, 'migrations', name))
  ) {
    throw new ScaffoldError(`"${name}" exists already (src/subgraphs/${name} or migrations/${name}, or a reserved name); pick another`);
  }
}

/** Refuses GraphQL names the graph already has (composition would fail on them). */
function checkClashes(name: string, supergraphSdl: string, types: string[], fields: string[]): void {
  const taken = types.filter((type) => new RegExp(`^(type|enum|input|interface|union|scalar) ${type}\\b`, 'm').test(supergraphSdl));
  const clashing = fields.filter((field) => new RegExp(`^\\s+${field}\\(|^\\s+${field}:`, 'm').test(supergraphSdl));
  if (taken.length || clashing.length) {
    throw new ScaffoldError(
      `"${name}" would clash with the graph: ${[...taken.map((t) => `type ${t}`), ...clashing.map((f) => `field ${f}`)].join(', ')} exist already; pick another name`,
    );
  }
}

export function checkDepartmentName(root: string, name: string, supergraphSdl: string): DepartmentNames {
  checkNewName(root, name);
  const n = departmentNames(name);
  checkClashes(name, supergraphSdl, [n.entity, `${n.entity}Status`, `${n.entity}Connection`, `${n.entity}Edge`], [n.one, n.many]);
  return n;
}

/** Inserts `lines` right after the `fields:` line of one type's entry in the policy file. */
function insertPolicyFields(policy: string, typeName: string, lines: string[]): string {
  const out = policy.split('\n');
  const start = out.findIndex((l) => l === `  ${typeName}:`);
  const fields = start < 0 ? -1 : out.findIndex((l, i) => i > start && l === '    fields:');
  const nextType = out.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  if (start < 0 || fields < 0 || (nextType >= 0 && fields > nextType)) {
    throw new ScaffoldError(`schema/policy.yaml: found no "fields:" under "${typeName}:"; add ${lines.map((l) => l.trim()).join(', ')} there by hand`);
  }
  out.splice(fields + 1, 0, ...lines);
  return out.join('\n');
}

interface Edit {
  file: string;
  content: string;
  /** True for a file that exists and is changed, false for a new one. */
  changed: boolean;
}

/** Pairs the department's name with its definition in src/subgraphs/index.ts (start, compose, tests and the CLI read it there). */
function definitionEdit(root: string, name: string): Edit {
  const file = join(root, 'src', 'subgraphs', 'index.ts');
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/^import \{ \w+ \} from '\.\/\w+';$/gm)];
  const close = /^export const subgraphs[^]*?^};$/m.exec(text);
  if (!imports.length || !close) throw new ScaffoldError('src/subgraphs/index.ts is not in the expected shape; add the department there by hand');
  const lastImport = imports[imports.length - 1];
  const afterImport = lastImport.index + lastImport[0].length;
  const closeAt = close.index + close[0].length - 2;
  const content = `${text.slice(0, afterImport)}\nimport { ${name}Department } from './${name}';${text.slice(afterImport, closeAt)}  ${name}: ${name}Department,\n${text.slice(closeAt)}`;
  return { file, content, changed: true };
}

/** Adds the department's one line to the registry (src/shared/registry.ts), on the next free default port. */
function registryEdit(root: string, name: string): Edit {
  const file = join(root, 'src', 'shared', 'registry.ts');
  const text = readFileSync(file, 'utf8');
  const end = /^\} as const satisfies /m.exec(text);
  const ports = [...text.matchAll(/^ {2}\w+: \{ port: (\d+), kind: '\w+' \},$/gm)].map((m) => Number(m[1]));
  if (!end || !ports.length)
    throw new ScaffoldError(
      `src/shared/registry.ts is not in the expected shape; add "${name}: { port: …, kind: 'department' }," to SUBGRAPH_REGISTRY by hand`,
    );
  const content = `${text.slice(0, end.index)}  ${name}: { port: ${Math.max(...ports) + 1}, kind: 'department' },\n${text.slice(end.index)}`;
  return { file, content, changed: true };
}

interface PolicyEntries {
  query: string[];
  person: string[];
  types: string[];
}

/** The field or type name an entry line starts with (`      petitionCases: { admin: allow }` → petitionCases). */
const entryName = (line: string) => line.trim().split(':')[0];

function policyEdit(root: string, entries: PolicyEntries): Edit {
  const file = join(root, 'schema', 'policy.yaml');
  let text = readFileSync(file, 'utf8');
  text = insertPolicyFields(text, 'Query', entries.query);
  if (entries.person.length) text = insertPolicyFields(text, 'Person', entries.person);
  text = `${text.trimEnd()}\n${entries.types.join('\n')}\n`;
  // Never leave a policy that does not parse: the hub refuses to start on one.
  const types = (parse(text) as { types: Record<string, { fields?: Record<string, unknown> }> }).types;
  const newTypes = entries.types.filter((l) => /^ {2}\w+:$/.test(l)).map(entryName);
  if (
    newTypes.some((t) => !types[t]) ||
    entries.query.some((l) => !types.Query.fields?.[entryName(l)]) ||
    entries.person.some((l) => !types.Person.fields?.[entryName(l)])
  ) {
    throw new ScaffoldError('schema/policy.yaml: the new entries did not land where expected; nothing was written');
  }
  return { file, content: text, changed: true };
}

export interface ScaffoldResult {
  name: string;
  /** The types the department owns, and the fields it adds to Person. */
  owns: string[];
  person: string[];
  created: string[];
  changed: string[];
}

const fresh = (file: string, content: string): Edit => ({ file, content, changed: false });

/** Writes every prepared edit (nothing is written before all are ready, so a refusal writes nothing). */
function apply(root: string, name: string, owns: string[], person: string[], edits: Edit[]): ScaffoldResult {
  for (const e of edits) {
    mkdirSync(dirname(e.file), { recursive: true });
    writeFileSync(e.file, e.content);
  }
  const rel = (f: string) => f.slice(root.length + 1);
  return {
    name,
    owns,
    person,
    created: edits.filter((e) => !e.changed).map((e) => rel(e.file)),
    changed: edits.filter((e) => e.changed).map((e) => rel(e.file)),
  };
}

/**
 * Writes a new department into the repository at `root`: its subgraph folder, migration, test,
 * policy stanza and registration.
 */
export function scaffoldDepartment(root: string, name: string): ScaffoldResult {
  const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
  const n = checkDepartmentName(root, name, supergraph);
  const dir = join(root, 'src', 'subgraphs', n.name);
  return apply(
    root,
    n.name,
    [n.entity],
    [n.many],
    [
      fresh(join(dir, 'entities.ts'), entitiesFile(n)),
      fresh(join(dir, 'extends.ts'), extendsFile(n)),
      fresh(join(dir, 'keys.ts'), keysFile(n)),
      fresh(join(dir, 'resolvers.ts'), resolversFile(n)),
      fresh(join(dir, 'seed.ts'), seedFile(n)),
      fresh(join(dir, 'index.ts'), indexFile(n)),
      fresh(join(root, 'migrations', n.name, `${n.migration}.ts`), migrationFile(n)),
      fresh(join(root, 'migrations', n.name, 'index.ts'), migrationIndexFile(n)),
      fresh(join(root, 'test', `${n.name}.test.ts`), testFile(n)),
      registryEdit(root, n.name),
      definitionEdit(root, n.name),
      policyEdit(root, policyEntries(n)),
    ],
  );
}

export interface FromDatabaseOptions {
  url: string;
  schema: string;
  tables?: string[];
}

/**
 * Writes a department whose records stay in its own database: entities mapped onto the tables as
 * they are (read from `url`, read-only), resolvers, a deny-by-default policy stanza, a test and the
 * registration; no migration, no seed.
 */
export async function scaffoldFromDatabase(root: string, name: string, opts: FromDatabaseOptions): Promise<ScaffoldResult> {
  const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
  checkNewName(root, name);
  const pascal = name[0].toUpperCase() + name.slice(1);
  const model = await readExistingDatabase({ url: opts.url, schema: opts.schema, tables: opts.tables, typePrefix: pascal });
  const n: ExistingNames = { name, pascal, model };
  const person = model.tables.filter((t) => t.columns.some((c) => c.idNumber)).map((t) => t.many);
  checkClashes(
    name,
    supergraph,
    model.tables.flatMap((t) => [t.type, `${t.type}Connection`, `${t.type}Edge`]),
    model.tables.flatMap((t) => [t.one, t.many]),
  );
  const dir = join(root, 'src', 'subgraphs', name);
  return apply(
    root,
    name,
    model.tables.map((t) => t.type),
    person,
    [
      fresh(join(dir, 'entities.ts'), existingEntitiesFile(n)),
      ...(person.length ? [fresh(join(dir, 'extends.ts'), existingExtendsFile(n))] : []),
      fresh(join(dir, 'loaders.ts'), existingLoadersFile(n)),
      fresh(join(dir, 'resolvers.ts'), existingResolversFile(n)),
      fresh(join(dir, 'index.ts'), existingIndexFile(n)),
      fresh(join(root, 'test', `${name}.test.ts`), existingTestFile(n)),
      registryEdit(root, name),
      definitionEdit(root, name),
      policyEdit(root, existingPolicyEntries(n)),
    ],
  );
}

export interface FromOpenApiOptions {
  spec: string;
  /** Where to sample the API instead of the spec's server (the scaffold calls its list GETs once). */
  apiUrl?: string;
}

/**
 * Writes a department whose records stay behind its own REST API: types and queries from the
 * spec's GET operations, batched loaders, links, a deny-by-default policy stanza, a test and the
 * registration; nothing is stored in the hub.
 */
export async function scaffoldFromOpenApi(root: string, name: string, opts: FromOpenApiOptions): Promise<ScaffoldResult> {
  const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
  checkNewName(root, name);
  const pascal = name[0].toUpperCase() + name.slice(1);
  const model = await readOpenApi(opts.spec, { typePrefix: pascal, apiUrl: opts.apiUrl });
  const spec = relative(root, resolve(opts.spec));
  const n: ApiNames = { name, pascal, model, spec: spec.startsWith('..') ? opts.spec : spec };
  checkClashes(
    name,
    supergraph,
    model.entities.map((e) => e.type),
    model.entities.flatMap((e) => [e.one, ...(e.list ? [e.many] : [])]),
  );
  const dir = join(root, 'src', 'subgraphs', name);
  const links = model.entities.some((e) => e.properties.some((p) => p.idNumber || p.district));
  return apply(
    root,
    name,
    model.entities.map((e) => e.type),
    [],
    [
      fresh(join(dir, 'api.ts'), apiClientFile(n)),
      fresh(join(dir, 'entities.ts'), apiEntitiesFile(n)),
      ...(links ? [fresh(join(dir, 'extends.ts'), apiExtendsFile(n))] : []),
      fresh(join(dir, 'loaders.ts'), apiLoadersFile(n)),
      fresh(join(dir, 'resolvers.ts'), apiResolversFile(n)),
      fresh(join(dir, 'index.ts'), apiIndexFile(n)),
      fresh(join(root, 'test', `${name}.test.ts`), apiTestFile(n)),
      registryEdit(root, name),
      definitionEdit(root, name),
      policyEdit(root, apiPolicyEntries(n)),
    ],
  );
}
