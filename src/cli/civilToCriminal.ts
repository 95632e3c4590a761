import { withSubgraphOrm } from '../kit/migrate';
import type { ReleaseSummary } from '../kit/department';
import { intersectionSizes } from '../analytics/psi';
import type { ReleaseRules } from '../analytics/release';
import { subgraphList } from '../subgraphs';
import { mediationPartiesSide } from '../subgraphs/justice/civilToCriminal';
import { civilToCriminalStored, storeCivilToCriminal, suspectFilingsSide } from '../subgraphs/police/civilToCriminal';

/** What a 民转刑 run stored, and what the coordinator saw: the sizes of the two blinded sets. */
export interface CivilToCriminalRun extends ReleaseSummary {
  department: 'civilToCriminal';
  seconds: number;
  elements: { police: number; justice: number };
}

/**
 * The coordinator of 民转刑 (the statistics refresh): each department's side runs on its own
 * database, as its own code, and hands out blinded values only; the coordinator passes each side
 * the other's, counts the equal doubly blinded values per county and year, and gives the counts
 * to the police to decide and store. In embedded mode both sides run in this process; in
 * distributed mode each would be a call to its department's process (docs/analytics.md).
 * `urls` are the departments' databases.
 */
export async function refreshCivilToCriminal(
  urls: { police: string; justice: string },
  rules: ReleaseRules,
  opts: { onlyIfMissing?: boolean } = {},
): Promise<CivilToCriminalRun | null> {
  const def = (name: string) => subgraphList().find((d) => d.name === name);
  const [police, justice] = [def('police'), def('justice')];
  if (!police || !justice) return null;
  return withSubgraphOrm(
    police,
    urls.police,
    async (policeOrm) => {
      if (opts.onlyIfMissing && (await civilToCriminalStored(policeOrm.em.fork()))) return null;
      const started = Date.now();
      const justiceSide = await withSubgraphOrm(justice, urls.justice, (orm) => mediationPartiesSide(orm.em.fork()), { statementTimeoutMs: 0, poolMax: 1 });
      const policeSide = await suspectFilingsSide(policeOrm.em.fork());
      const size = (groups: ReadonlyMap<string, readonly unknown[]>) => [...groups.values()].reduce((n, g) => n + g.length, 0);
      const counts = intersectionSizes(policeSide, justiceSide);
      const summary = await storeCivilToCriminal(policeOrm.em.fork(), counts, rules);
      return {
        department: 'civilToCriminal' as const,
        ...summary,
        seconds: (Date.now() - started) / 1000,
        elements: { police: size(policeSide.blinded), justice: size(justiceSide.blinded) },
      };
    },
    { statementTimeoutMs: 0, poolMax: 2 },
  );
}
