import { join } from 'node:path';
import type { HubConfig } from '../shared/config';
import { ensureDatabase, migrateDepartment, withDatabase } from '../shared/db';
import { withSubgraphOrm } from '../kit/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../shared/embeddedPostgres';
import type { SubgraphDefinition } from '../kit/department';
import { subgraphList } from '../subgraphs';
import { HUB_DATABASE, releaseRules, runningHub } from './runtime';
import { CliError } from './errors';

/** One department's refreshed release. */
export interface RefreshedRelease {
  department: string;
  cells: number;
  seconds: number;
}

/** Decides and stores one department's release in its own database (migrated first: the release table is a migration's). */
export async function refreshDepartment(def: SubgraphDefinition, url: string, rules = releaseRules()): Promise<RefreshedRelease | null> {
  const refresh = def.refreshStatistics;
  if (!refresh || def.existingDatabase) return null;
  return withSubgraphOrm(
    def,
    url,
    async (orm) => {
      await migrateDepartment(orm);
      const started = Date.now();
      const cells = await refresh(orm.em.fork(), rules);
      return { department: def.name, cells, seconds: (Date.now() - started) / 1000 };
    },
    { statementTimeoutMs: 0, poolMax: 2 },
  );
}

/** `hub stats refresh`: every department's release, each in its own database. */
export async function refreshAll(config: HubConfig, databaseUrl?: string): Promise<RefreshedRelease[]> {
  let embedded: EmbeddedDatabase | null = null;
  let url = databaseUrl ?? config.databaseUrl;
  try {
    if (!url) {
      const running = runningHub(config.dataDir);
      if (running) throw new CliError(`the hub is running (npm start, pid ${running.pid}) on ${config.dataDir}: stop it, or give --database-url`);
      embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'));
      await ensureDatabase(embedded.url, HUB_DATABASE);
      url = withDatabase(embedded.url, HUB_DATABASE);
    }
    const out: RefreshedRelease[] = [];
    for (const def of subgraphList()) {
      const done = await refreshDepartment(def, config.departmentDatabaseUrls[def.name] ?? url);
      if (done) out.push(done);
    }
    return out;
  } finally {
    await embedded?.stop();
  }
}
