import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../../shared/config';
import {
  departmentNames, entitiesFile, indexFile, loadersFile, migrationFile, migrationIndexFile, policyEntries, resolversFile, seedFile, stubsFile,
  testFile, type DepartmentNames,
} from './templates';

/** A name `hub new-department` refuses, and why; the CLI exits 2 with the message. */
export class ScaffoldError extends Error {}

/** Folder names under src/subgraphs/ that are not departments. */
const RESERVED = new Set(['kit', 'index', 'shared']);

/**
 * Checks a new department's name: lowercase letters (it becomes a folder, a PostgreSQL schema, a
 * subgraph name and a prefix of GraphQL names), not taken, and not making GraphQL names that the
 * graph already has (composition would fail on them).
 */
export function checkDepartmentName(root: string, name: string, supergraphSdl: string): DepartmentNames {
  if (!/^[a-z]{2,30}$/.test(name)) {
    throw new ScaffoldError(`department name "${name}" must be 2 to 30 lowercase letters a-z (it names a folder, a database schema and GraphQL fields), e.g. petition`);
  }
  if ((SUBGRAPHS as readonly string[]).includes(name) || RESERVED.has(name) || existsSync(join(root, 'src', 'subgraphs', name)) || existsSync(join(root, 'migrations', name))) {
    throw new ScaffoldError(`"${name}" exists already (src/subgraphs/${name} or migrations/${name}, or a reserved name); pick another`);
  }
  const n = departmentNames(name);
  const taken = [n.entity, `${n.entity}Status`, `${n.entity}Connection`, `${n.entity}Edge`].filter((type) => new RegExp(`^(type|enum|input|interface|union|scalar) ${type}\\b`, 'm').test(supergraphSdl));
  const fields = [n.one, n.many].filter((field) => new RegExp(`^\\s+${field}\\(|^\\s+${field}:`, 'm').test(supergraphSdl));
  if (taken.length || fields.length) {
    throw new ScaffoldError(`"${name}" would clash with the graph: ${[...taken.map((t) => `type ${t}`), ...fields.map((f) => `field ${f}`)].join(', ')} exist already; pick another name`);
  }
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

/** Adds the department to the registry (start, compose, tests and the CLI read it from there). */
function registryEdit(root: string, n: DepartmentNames): Edit {
  const file = join(root, 'src', 'subgraphs', 'index.ts');
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/^import \{ \w+ \} from '\.\/\w+';$/gm)];
  const close = /^export const departments[^]*?^};$/m.exec(text);
  if (!imports.length || !close) throw new ScaffoldError('src/subgraphs/index.ts is not in the expected shape; register the department there by hand');
  const lastImport = imports[imports.length - 1];
  const afterImport = lastImport.index + lastImport[0].length;
  const closeAt = close.index + close[0].length - 2;
  const content = `${text.slice(0, afterImport)}\nimport { ${n.name}Department } from './${n.name}';${text.slice(afterImport, closeAt)}  ${n.name}: ${n.name}Department,\n${text.slice(closeAt)}`;
  return { file, content, changed: true };
}

/** Adds the department to DEPARTMENTS and gives it the next free default port. */
function configEdit(root: string, n: DepartmentNames): Edit {
  const file = join(root, 'src', 'shared', 'config.ts');
  const text = readFileSync(file, 'utf8');
  const departments = /^(export const DEPARTMENTS = \[[^\]]*)(\] as const;)$/m;
  const ports = /^(const DEFAULT_PORTS: Record<SubgraphName, number> = \{)([^}]*)(\};)$/m;
  const portList = ports.exec(text);
  if (!departments.test(text) || !portList) throw new ScaffoldError(`src/shared/config.ts is not in the expected shape; add '${n.name}' to DEPARTMENTS and DEFAULT_PORTS by hand`);
  const next = Math.max(...[...portList[2].matchAll(/:\s*(\d+)/g)].map((m) => Number(m[1]))) + 1;
  const content = text
    .replace(departments, `$1, '${n.name}'$2`)
    .replace(ports, (_m, head: string, list: string, tail: string) => `${head}${list.trimEnd()}, ${n.name}: ${next} ${tail}`);
  return { file, content, changed: true };
}

function policyEdit(root: string, n: DepartmentNames): Edit {
  const file = join(root, 'schema', 'policy.yaml');
  const entries = policyEntries(n);
  let text = readFileSync(file, 'utf8');
  text = insertPolicyFields(text, 'Query', entries.query);
  text = insertPolicyFields(text, 'Person', entries.person);
  text = `${text.trimEnd()}\n${entries.types.join('\n')}\n`;
  // Never leave a policy that does not parse: the hub refuses to start on one.
  const types = (parse(text) as { types: Record<string, { fields?: Record<string, unknown> }> }).types;
  if (!types[n.entity] || !types.Query.fields?.[n.many] || !types.Person.fields?.[n.many]) {
    throw new ScaffoldError('schema/policy.yaml: the new entries did not land where expected; nothing was written');
  }
  return { file, content: text, changed: true };
}

export interface ScaffoldResult {
  names: DepartmentNames;
  created: string[];
  changed: string[];
}

/**
 * Writes a new department into the repository at `root`: its subgraph folder, migration, test,
 * policy stanza and registration. Every edit is prepared first, so a refusal writes nothing.
 */
export function scaffoldDepartment(root: string, name: string): ScaffoldResult {
  const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
  const n = checkDepartmentName(root, name, supergraph);
  const dir = join(root, 'src', 'subgraphs', n.name);
  const fresh = (file: string, content: string): Edit => ({ file, content, changed: false });
  const edits: Edit[] = [
    fresh(join(dir, 'entities.ts'), entitiesFile(n)),
    fresh(join(dir, 'stubs.ts'), stubsFile(n)),
    fresh(join(dir, 'loaders.ts'), loadersFile(n)),
    fresh(join(dir, 'resolvers.ts'), resolversFile(n)),
    fresh(join(dir, 'seed.ts'), seedFile(n)),
    fresh(join(dir, 'index.ts'), indexFile(n)),
    fresh(join(root, 'migrations', n.name, `${n.migration}.ts`), migrationFile(n)),
    fresh(join(root, 'migrations', n.name, 'index.ts'), migrationIndexFile(n)),
    fresh(join(root, 'test', `${n.name}.test.ts`), testFile(n)),
    registryEdit(root, n),
    configEdit(root, n),
    policyEdit(root, n),
  ];
  for (const e of edits) {
    mkdirSync(dirname(e.file), { recursive: true });
    writeFileSync(e.file, e.content);
  }
  const rel = (f: string) => f.slice(root.length + 1);
  return { names: n, created: edits.filter((e) => !e.changed).map((e) => rel(e.file)), changed: edits.filter((e) => e.changed).map((e) => rel(e.file)) };
}
