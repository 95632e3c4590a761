import { useGraphiQL } from '@graphiql/react';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { GraphQLResult } from './caller';
import { Chart } from './chart';
import { HotspotMap, type HotspotFeature } from './hotspotMap';
import { mapRange, mapSummary, monthsAsDays, seriesOf, type DayRange, type MapRange, type MonthRow, type Series } from './statistics';

/** Runs one operation as the acting caller (the agency picked in the bar, or the pasted token). */
export type RunAsCaller = (request: { query: string; variables?: Record<string, unknown>; operationName?: string }) => Promise<{ result: GraphQLResult }>;

interface Division {
  code: string;
  name: string;
  townships?: Division[];
}

/** A department's statistics on `DistrictMonth` (`policeStatistics`) and its figures, read from the schema. */
interface Department {
  field: string;
  figures: Array<{ name: string; description: string; integer: boolean }>;
}

/**
 * The departments that publish monthly statistics, from the schema GraphiQL loaded: every field
 * of `DistrictMonth` whose type lists `suppressedFields`, with its number-valued figures. A figure
 * a department adds shows up here without a change to the console.
 */
function departmentsOf(schema: GraphQLSchema | null | undefined): Department[] {
  const month = schema?.getType('DistrictMonth');
  if (!isObjectType(month)) return [];
  return Object.values(month.getFields()).flatMap((field) => {
    const type = getNamedType(field.type);
    if (!isObjectType(type) || !('suppressedFields' in type.getFields())) return [];
    const figures = Object.values(type.getFields())
      .filter((f) => ['Int', 'Float'].includes(getNamedType(f.type).name))
      .map((f) => ({ name: f.name, description: f.description ?? '', integer: getNamedType(f.type).name === 'Int' }));
    return [{ field: field.name, figures }];
  });
}

const DIVISIONS = `query StatisticsDivisions { city { code name townships { code name townships { code name } } } }`;
const HOTSPOTS = `geometry { coordinates } properties { gridCode name events suppressedFields }`;

/** The policy's or the graph's messages for the paths under `alias` (or all of them). */
function messagesFor(result: GraphQLResult, alias?: string): string[] {
  return (result.errors ?? []).filter((e) => alias === undefined || e.path?.[0] === alias).map((e) => e.message);
}

/** One figure over the months: a line with gaps where withheld, its withheld months listed under it. */
function FigureChart({ series, months, figure }: { series: Series; months: string[]; figure: Department['figures'][number] }): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: 'line',
      data: {
        labels: months,
        datasets: [{ label: figure.name, data: series.values, borderColor: '#1f3a5f', backgroundColor: '#1f3a5f', pointRadius: 3, spanGaps: false }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        // Counts get whole-number ticks (a count of 0.5 reads as a mistake); rates keep their decimals.
        scales: { y: { beginAtZero: true, ticks: figure.integer ? { precision: 0 } : {} } },
      },
    });
    return () => chart.destroy();
  }, [series, months, figure]);
  const drawn = series.values.filter((v) => v !== null).length;
  return (
    <figure
      className="hub-figure"
      data-testid={`stats-figure-${series.figure}`}
      data-drawn={drawn}
      data-withheld={series.withheld.length}
      title={figure.description}
    >
      <figcaption>
        {figure.name} <span className="hub-legend">{drawn} months drawn</span>
      </figcaption>
      <div className="hub-figure-chart">
        <canvas ref={canvas} />
      </div>
      {series.withheld.length ? <div className="hub-withheld">withheld: {series.withheld.join(', ')}</div> : null}
    </figure>
  );
}

interface Answer {
  months: string[];
  series: Series[];
  problems: string[];
}
interface MapAnswer {
  range: MapRange;
  features: HotspotFeature[];
  problems: string[];
}

/**
 * The statistics page: a division of the city (from the graph), whole months and a department;
 * one chart per figure of that department's monthly series, as the acting agency gets them (an
 * analyst the release, small counts withheld and listed; an officer exact figures), and the
 * hotspot map of the range's last whole calendar year (else its last twelve months; withheld grids
 * drawn as rings, never as 0), or the graph's message where it is denied or refused.
 */
export function StatisticsPanel({ run, actingAs, onClose }: { run: RunAsCaller; actingAs: string; onClose: () => void }): ReactNode {
  const schema = useGraphiQL((s) => s.schema);
  // Memoised: each figure's chart is drawn again only when its series or its description changes.
  const departments = useMemo(() => departmentsOf(schema), [schema]);
  const [divisions, setDivisions] = useState<Division | null>(null);
  const [code, setCode] = useState('211400');
  const [fromMonth, setFromMonth] = useState('2025-01');
  const [toMonth, setToMonth] = useState('2025-12');
  const [department, setDepartment] = useState('policeStatistics');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [mapAnswer, setMapAnswer] = useState<MapAnswer | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    run({ query: DIVISIONS, operationName: 'StatisticsDivisions' })
      .then(({ result }) => {
        const city = result.data?.city as Division | null | undefined;
        if (city) setDivisions(city);
        else setProblem(messagesFor(result).join('; ') || 'the city and its divisions could not be read');
      })
      .catch((e: Error) => setProblem(e.message));
  }, [run, actingAs]);

  const show = useCallback(async () => {
    setProblem('');
    const chosen = departments.find((d) => d.field === department);
    if (!chosen) return setProblem('the schema has not loaded yet (or offers no monthly statistics)');
    let range: DayRange;
    try {
      range = monthsAsDays(fromMonth, toMonth);
    } catch (e) {
      return setProblem((e as Error).message);
    }
    setBusy(true);
    const figures = chosen.figures.map((f) => f.name);
    const series = run({
      query: `query StatisticsSeries($code: String!, $from: Date!, $to: Date!) { district(code: $code) { code monthly(from: $from, to: $to) { month ${department} { ${figures.join(' ')} suppressedFields } } } }`,
      variables: { code, ...range },
      operationName: 'StatisticsSeries',
    }).then(({ result }) => {
      const rows = ((result.data?.district as { monthly?: MonthRow[] | null } | null)?.monthly ?? []) as MonthRow[];
      setAnswer({ months: rows.map((r) => r.month), series: seriesOf(rows, department, figures), problems: messagesFor(result) });
    });
    // The city has too many grids for one map: its districts are mapped, each under its own alias.
    const mapped = code === divisions?.code ? (divisions.townships?.map((d) => d.code) ?? []) : [code];
    const inMap = mapRange(range);
    const hotspots = run({
      // The division codes are variables too: the operation's text depends only on how many are mapped.
      query: `query StatisticsHotspots($from: Date!, $to: Date!${mapped.map((_, i) => `, $code${i}: String!`).join('')}) { ${mapped
        .map((_, i) => `d${i}: hotspots(divisionCode: $code${i}, from: $from, to: $to) { features { ${HOTSPOTS} } }`)
        .join(' ')} }`,
      variables: { from: inMap.from, to: inMap.to, ...Object.fromEntries(mapped.map((c, i) => [`code${i}`, c])) },
      operationName: 'StatisticsHotspots',
    }).then(({ result }) => {
      const features = mapped.flatMap(
        (_, i) => ((result.data?.[`d${i}`] as { features?: HotspotFeature[] | null } | null)?.features ?? []) as HotspotFeature[],
      );
      setMapAnswer({ range: inMap, features, problems: [...new Set(messagesFor(result))] });
    });
    await Promise.all([series, hotspots])
      .catch((e: Error) => setProblem(e.message))
      .finally(() => setBusy(false));
  }, [run, departments, department, fromMonth, toMonth, code, divisions]);

  // Shown on opening, and again as whoever the console now acts as (the divisions are read again then).
  useEffect(() => {
    if (divisions && departments.length) void show();
  }, [divisions, departments.length]);

  const chosen = departments.find((d) => d.field === department);
  const withheld = answer?.series.filter((s) => s.withheld.length) ?? [];
  const summary = mapAnswer
    ? mapSummary(
        mapAnswer.range,
        mapAnswer.features.map((f) => f.properties),
      )
    : null;
  const drawn = answer?.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0) ?? 0;
  return (
    <div className="hub-compare hub-stats" data-testid="stats-panel">
      <div className="hub-compare-bar">
        <strong>Statistics</strong>
        <label className="hub-field">
          Division
          <select data-testid="stats-division" value={code} onChange={(e) => setCode(e.target.value)}>
            {divisions ? (
              <>
                <option value={divisions.code}>
                  {divisions.name} {divisions.code}
                </option>
                {divisions.townships?.map((d) => (
                  <optgroup key={d.code} label={`${d.name} ${d.code}`}>
                    <option value={d.code}>
                      {d.name} {d.code}
                    </option>
                    {d.townships?.map((t) => (
                      <option key={t.code} value={t.code}>
                        　{t.name} {t.code}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </>
            ) : (
              <option value={code}>{code}</option>
            )}
          </select>
        </label>
        <label className="hub-field">
          From
          <input data-testid="stats-from" type="month" value={fromMonth} onChange={(e) => setFromMonth(e.target.value)} />
        </label>
        <label className="hub-field">
          To
          <input data-testid="stats-to" type="month" value={toMonth} onChange={(e) => setToMonth(e.target.value)} />
        </label>
        <label className="hub-field">
          Department
          <select data-testid="stats-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
            {departments.map((d) => (
              <option key={d.field} value={d.field}>
                {d.field.replace(/Statistics$/, '')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="stats-run" disabled={busy} onClick={() => void show()}>
          {busy ? 'Loading…' : 'Show'}
        </button>
        <span className="hub-legend" data-testid="stats-summary">
          {answer ? `${answer.months.length} months, ${drawn} values drawn, ${withheld.reduce((n, s) => n + s.withheld.length, 0)} withheld` : ''}
        </span>
        <button type="button" className="hub-close" aria-label="Close the statistics" onClick={onClose}>
          ×
        </button>
      </div>
      {problem ? (
        <div className="hub-error" data-testid="stats-problem">
          {problem}
        </div>
      ) : null}
      <div className="hub-stats-body">
        <div className="hub-stats-charts">
          {answer?.problems.length ? (
            <div className="hub-error" data-testid="stats-series-problem">
              {answer.problems.join('; ')}
            </div>
          ) : null}
          {withheld.length ? (
            <div className="hub-withheld" data-testid="stats-withheld">
              Withheld (small counts in the release, drawn as gaps, not as 0):{' '}
              {withheld.map((s) => `${department}.${s.figure} ${s.withheld.join(' ')}`).join('; ')}
            </div>
          ) : null}
          <div className="hub-figures">
            {answer?.series.map((s) => (
              <FigureChart
                key={`${department}.${s.figure}`}
                series={s}
                months={answer.months}
                figure={chosen?.figures.find((f) => f.name === s.figure) ?? { name: s.figure, description: '', integer: false }}
              />
            ))}
          </div>
        </div>
        <div className="hub-stats-map">
          <div className="hub-legend" data-testid="stats-map-summary">
            {summary?.summary}
          </div>
          {mapAnswer?.problems.length ? (
            <div className="hub-error" data-testid="stats-map-problem">
              {mapAnswer.problems.join('; ')}
            </div>
          ) : null}
          {/* A map with nothing on it would read as a division without events: the message stands in its place. */}
          {mapAnswer?.problems.length && !mapAnswer.features.length ? null : (
            <>
              <HotspotMap features={mapAnswer?.features ?? []} focus={code.slice(0, 6)} />
              <div className="hub-legend" data-testid="stats-map-note">
                {summary?.note}
              </div>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
