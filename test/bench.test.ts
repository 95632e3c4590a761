import { fitPools } from '../bench/database';
import { evaluate, type BenchResults } from '../bench/report';
import type { SeriesTiming } from '../bench/statistics';

/** The bench's own logic that decides what a run may do and what it claims: pool sizing and the series target. */
describe('bench', () => {
  it('refuses early, saying what to change, when the hubs cannot fit in the server’s connections', async () => {
    const url = process.env.HUB_TEST_SERVER_URL!;
    await expect(fitPools(url, 1000)).rejects.toThrow(
      /too few free connections for the bench: it needs at least 1000 hubs × \(9 subgraphs × DB_POOL_MAX 3 \+ 4\) \+ floor 5 departments × 3 \+ runner 3 = 31018, and has \d+ free of max_connections \d+.*Raise max_connections to \d+ or more/,
    );
  });

  it('judges the analyst’s series against 1 s at 60 months only', () => {
    const results = (series?: Partial<SeriesTiming>): BenchResults => ({
      ...({ measurements: [], scaling: [], ratios: {}, targets: [] } as unknown as BenchResults),
      statistics: series
        ? {
            refresh: [],
            levels: [],
            firstMonth: '2021-12',
            lastMonth: '2026-11',
            series: { counties: 6, months: 60, figures: 27, yearOnYearFigures: 4, requests: 20, p50: 400, p95: 600, max: 700, bytes: 1, failed: 0, ...series },
          }
        : undefined,
    });
    const target = (r: BenchResults) => {
      evaluate(r);
      return r.targets.find((t) => t.name.startsWith("Analyst's monthly series"))!;
    };
    expect(target(results({})).met).toBe(true);
    expect(target(results({ p95: 1200 })).met).toBe(false);
    // Fast but failing answers (a department past its timeout) do not meet it, and say why.
    const failing = target(results({ failed: 2, firstFailure: 'DEPARTMENT_UNAVAILABLE grid' }));
    expect(failing.met).toBe(false);
    expect(failing.measured).toContain('2 answered errors (DEPARTMENT_UNAVAILABLE grid)');
    const short = target(results({ months: 23, p95: 100 }));
    expect(short.met).toBeNull();
    expect(short.measured).toContain('the goal is judged at 60');
    expect(target(results()).measured).toBe('n/a');
  });
});
