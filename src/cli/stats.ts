import { loadPolicy } from '../policy/policy';
import { join } from 'node:path';
import type { HubConfig } from '../shared/config';
import { ensureDatabase, migrateDepartment, withDatabase } from '../shared/db';
import { hasHubSchema, withHubSchema, withSubgraphOrm } from '../kit/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../shared/embeddedPostgres';
import type { SubgraphDefinition } from '../kit/department';
import { subgraphList } from '../subgraphs';
import { HUB_DATABASE, runningHub } from './runtime';
import type { ReleaseSummary } from '../kit/department';
import { httpSteps, refreshCivilToCriminal, withLocalSteps, type CivilToCriminalRun } from './civilToCriminal';
import { loadAuthKeys } from '../auth/keys';
import { ConfigError } from '../shared/errors';

/** One department's refreshed release: what it stored, and how long deciding and storing took. */
export interface RefreshedRelease extends ReleaseSummary {
  department: string;
  seconds: number;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(0);

/** A refresh's progress line for one department (or 民转刑, with the sizes of the sets its protocol blinded). */
export function describeRefresh(r: RefreshedRelease | CivilToCriminalRun): string {
  const { witnessed, bounded, solved } = r.audit;
  const moved = 'traffic' in r && r.traffic ? `, ${kib(r.traffic.sent)} KiB sent and ${kib(r.traffic.received)} KiB received` : '';
  const sets = 'elements' in r ? `; PSI-CA over ${r.elements.police} police and ${r.elements.justice} justice elements${moved}` : '';
  return `${r.department}: ${r.cells} cells released (${r.withheld} withheld) in ${r.seconds.toFixed(1)} s; audit: ${witnessed} withheld cells proven wide by a witness, ${bounded} narrow by one line, ${solved} by the LP${sets}`;
}

/**
 * Decides and stores one department's release in its own database (migrated first: the release
 * table is a migration's); for a department whose records stay in its own system (read at `url`),
 * in the hub's own schema for it at `hubUrl`.
 */
export async function refreshDepartment(
  def: SubgraphDefinition,
  url: string,
  rules = loadPolicy().releaseRules,
  hubUrl = url,
): Promise<RefreshedRelease | null> {
  const refresh = def.refreshStatistics;
  if (!refresh || (def.existingDatabase && !hasHubSchema(def))) return null;
  const timed = async (run: () => Promise<ReleaseSummary>): Promise<RefreshedRelease> => {
    const started = Date.now();
    const summary = await run();
    return { department: def.name, ...summary, seconds: (Date.now() - started) / 1000 };
  };
  return withSubgraphOrm(
    def,
    url,
    async (orm) => {
      if (def.existingDatabase) {
        // A database seeded by `hub seed` holds no stand-in of the department's own system: nothing to count there.
        const [present] = await orm.em
          .getConnection()
          .execute<Array<{ found: number }>>('select 1 as found from pg_namespace where nspname = ?', [def.existingDatabase.schema]);
        if (!present) {
          process.stderr.write(
            `${def.name}: skipped — its system's schema ${def.existingDatabase.schema} is not in this database (DATABASE_URL_${def.name.toUpperCase()} names where it is)\n`,
          );
          return null;
        }
        return withHubSchema(def, hubUrl, (store) => timed(() => refresh(orm.em.fork(), rules, { store: store.em.fork() })));
      }
      await migrateDepartment(orm);
      return timed(() => refresh(orm.em.fork(), rules));
    },
    { statementTimeoutMs: 0, poolMax: 2 },
  );
}

/**
 * How 民转刑 reaches the departments: when both `SUBGRAPH_URL_POLICE` and `SUBGRAPH_URL_JUSTICE`
 * are set (distributed mode), their processes' internal steps, signed with the internal key, and
 * neither department's database is opened for it; otherwise in this process on their databases.
 * Checked before any release is refreshed: a half-configured one fails at once.
 */
async function civilToCriminalTransport(config: HubConfig): Promise<(databases: { police: string; justice: string }) => Promise<CivilToCriminalRun | null>> {
  const given = (['police', 'justice'] as const).filter((d) => config.subgraphUrlsSet.includes(d));
  if (given.length === 1)
    throw new ConfigError([
      `SUBGRAPH_URL_POLICE and SUBGRAPH_URL_JUSTICE: 民转刑 runs in both departments' processes or in neither (only ${given[0]}'s is set)`,
    ]);
  if (!given.length) return (databases) => withLocalSteps(databases, loadPolicy(), (call) => refreshCivilToCriminal(call));
  const { internalSigningKey } = await loadAuthKeys(config);
  if (!internalSigningKey) throw new ConfigError(['INTERNAL_JWT_PRIVATE_KEY: required by `hub stats refresh` in distributed mode (it signs the 民转刑 steps)']);
  return () => {
    const traffic = { sent: 0, received: 0 };
    return refreshCivilToCriminal(httpSteps({ police: config.subgraphUrls.police, justice: config.subgraphUrls.justice }, internalSigningKey, traffic), {
      traffic,
    });
  };
}

/** `hub stats refresh`: every department's release, each in its own database, then 民转刑's; `onDone` hears of each as it is stored. */
export async function refreshAll(
  config: HubConfig,
  databaseUrl?: string,
  onDone: (r: RefreshedRelease | CivilToCriminalRun) => void = () => undefined,
): Promise<Array<RefreshedRelease | CivilToCriminalRun>> {
  const civilToCriminalRun = await civilToCriminalTransport(config);
  let embedded: EmbeddedDatabase | null = null;
  let url = databaseUrl ?? config.databaseUrl;
  try {
    // A running hub's database is refreshed in place: analysts read the new release as soon as each department's is stored.
    url ??= runningHub(config.dataDir)?.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'));
      await ensureDatabase(embedded.url, HUB_DATABASE);
      url = withDatabase(embedded.url, HUB_DATABASE);
    }
    const out: Array<RefreshedRelease | CivilToCriminalRun> = [];
    for (const def of subgraphList()) {
      const done = await refreshDepartment(def, config.departmentDatabaseUrls[def.name] ?? url, undefined, url);
      if (done) {
        out.push(done);
        onDone(done);
      }
    }
    // After the police's release: 民转刑's cells are bounded by its published cases filed.
    const databaseOf = (name: 'police' | 'justice') => config.departmentDatabaseUrls[name] ?? url!;
    const civilToCriminal = await civilToCriminalRun({ police: databaseOf('police'), justice: databaseOf('justice') });
    if (civilToCriminal) {
      out.push(civilToCriminal);
      onDone(civilToCriminal);
    }
    return out;
  } finally {
    await embedded?.stop();
  }
}
