import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../src/shared/paths';
import type { SqlProfile } from './checks';
import type { LoadResult } from './load';
import type { CitySeed, PoolFit } from './database';
import { formatProfile, type ProfileSummary } from './profile';
import type { RefreshTiming, ReleaseLevel, SeriesTiming } from './statistics';

/** The results of one `npm run bench`, what they mean against the targets, and how they are written. */

export interface Measurement {
  id: string;
  /** The issue's scenario number. */
  scenario: string;
  label: string;
  runs: LoadResult[];
  median: LoadResult;
}

export interface ScalingCheck {
  name: string;
  /** The first point is a single record (the most statements any sampled one needed); then pages. */
  points: Array<{ size: number; rows: number; statements: number; note?: string }>;
  /** No page needs more statements than a single record. */
  independent: boolean;
}

export interface TargetResult {
  name: string;
  goal: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; kernel: string; loadAverageAtStart: number; loadAverageAtEnd?: number };
  settings: {
    durationSec: number;
    warmupSec: number;
    rounds: number;
    connections: number;
    abConnections: number;
    audit: string;
    database: string;
    profile: boolean;
    parts: string[];
    quietWaitSec: number;
    quietThresholdPercent: number;
    /** The scale asked for (`--scale`): `city` writes the city-scale files. */
    scale?: string;
    /** The city database the bench keeps, and how it was seeded. */
    city?: CitySeed;
    pools?: PoolFit;
  };
  data: { counts: Record<string, number>; samples: Record<string, number> };
  measurements: Measurement[];
  /** Exact statements per request (one request at a time), by measurement id. */
  sql: Record<string, SqlProfile>;
  scaling: ScalingCheck[];
  ratios: Record<string, number>;
  targets: TargetResult[];
  memory: Array<{ process: string; peakRssMiB: number }>;
  checks: string[];
  profiles?: ProfileSummary[];
  /** The release refresh, the cells per level and the analyst's monthly series (issue #19). */
  statistics?: { refresh: RefreshTiming[]; levels: ReleaseLevel[]; firstMonth: string; lastMonth: string; seriesFrom?: string; series: SeriesTiming };
}

/** The months of the series the issue's goal is set for: five years. */
const SERIES_GOAL_MONTHS = 60;
const SERIES_GOAL_MS = 1000;

const x = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)}×`);
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** Fills in the ratios and checks the targets the issue sets. */
export function evaluate(r: BenchResults): void {
  const m = (id: string) => r.measurements.find((x) => x.id === id)?.median;
  const [person, personOff, personFloor, journey, journeyFloor, ours, stock] = [
    'person-view',
    'person-view-policy-off',
    'person-view-floor',
    'case-journey',
    'case-journey-floor',
    'gateway-ours',
    'gateway-stock',
  ].map(m);
  const ratios: Record<string, number> = {};
  if (person && personFloor) Object.assign(ratios, { personViewP50VsFloor: person.p50 / personFloor.p50, personViewRpsVsFloor: person.rps / personFloor.rps });
  const [personC1, personFloorC1] = [m('person-view-c1'), m('person-view-floor-c1')];
  if (personC1 && personFloorC1) ratios.personViewP50VsFloorUnloaded = personC1.p50 / personFloorC1.p50;
  const [journeyC1, journeyFloorC1] = [m('case-journey-c1'), m('case-journey-floor-c1')];
  if (journeyC1 && journeyFloorC1) ratios.caseJourneyP50VsFloorUnloaded = journeyC1.p50 / journeyFloorC1.p50;
  const [personC50, personFloorC50] = [m('person-view-c50'), m('person-view-floor-c50')];
  if (personC50 && personFloorC50)
    Object.assign(ratios, { personViewP50VsFloorC50: personC50.p50 / personFloorC50.p50, personViewRpsVsFloorC50: personC50.rps / personFloorC50.rps });
  if (journey && journeyFloor)
    Object.assign(ratios, { caseJourneyP50VsFloor: journey.p50 / journeyFloor.p50, caseJourneyRpsVsFloor: journey.rps / journeyFloor.rps });
  if (person && personOff) Object.assign(ratios, { policyCostP50: person.p50 / personOff.p50, policyCostRps: personOff.rps / person.rps });
  const personNoAudit = m('person-view-audit-off');
  if (personNoAudit && personOff)
    Object.assign(ratios, { enforcementCostP50: personNoAudit.p50 / personOff.p50, enforcementCostRps: personOff.rps / personNoAudit.rps });
  if (personNoAudit && person) Object.assign(ratios, { auditCostP50: person.p50 / personNoAudit.p50, auditCostRps: personNoAudit.rps / person.rps });
  if (ours && stock) Object.assign(ratios, { gatewayRps: ours.rps / stock.rps, gatewayP95: ours.p95 / stock.p95, gatewayP50: ours.p50 / stock.p50 });
  // CPU time per request of the server process: steadier than wall-clock figures when other work shares the machine.
  const cpu = (d: LoadResult | undefined, server: string) => d?.cpuMsPerRequest[server];
  const cpuRatio = (a: number | undefined, b: number | undefined) => (a && b ? a / b : undefined);
  const cpuRatios: Record<string, number | undefined> = {
    personViewCpuVsFloor: cpuRatio(cpu(person, 'hub'), cpu(personFloor, 'floor')),
    caseJourneyCpuVsFloor: cpuRatio(cpu(journey, 'hub'), cpu(journeyFloor, 'floor')),
    personViewCpuVsFloorUnloaded: cpuRatio(cpu(personC1, 'hub'), cpu(personFloorC1, 'floor')),
    caseJourneyCpuVsFloorUnloaded: cpuRatio(cpu(journeyC1, 'hub'), cpu(journeyFloorC1, 'floor')),
    personViewCpuVsFloorC50: cpuRatio(cpu(personC50, 'hub'), cpu(personFloorC50, 'floor')),
    policyCostCpu: cpuRatio(cpu(person, 'hub'), cpu(personOff, 'hub')),
    enforcementCostCpu: cpuRatio(cpu(personNoAudit, 'hub'), cpu(personOff, 'hub')),
    auditCostCpu: cpuRatio(cpu(person, 'hub'), cpu(personNoAudit, 'hub')),
    gatewayCpu: cpuRatio(cpu(ours, 'gateway'), cpu(stock, 'gateway')),
  };
  for (const [k, v] of Object.entries(cpuRatios)) if (v !== undefined) ratios[k] = v;
  r.ratios = ratios;
  const scaled = r.scaling.map((s) => {
    const [one, ...pages] = s.points;
    return `${s.name}: 1 record ≤ ${one.statements}; ${pages.map((p) => `${p.size} (${p.rows} objects) ${p.statements}`).join(', ')}`;
  });
  r.targets = [
    {
      name: 'SQL statements per request independent of rows',
      goal: 'a page of 10 or 100 costs no more statements than one record',
      measured: scaled.join('; ') || 'n/a',
      met: r.scaling.length ? r.scaling.every((s) => s.independent) : null,
    },
    {
      name: 'Person view vs raw-SQL floor (1 connection)',
      goal: 'p50 ≤ 8× floor (aim 5×), CPU per request ≤ 15× (aim 8×)',
      measured: `p50 ${x(ratios.personViewP50VsFloorUnloaded)}, CPU per request ${x(ratios.personViewCpuVsFloorUnloaded)} (10 connections: p50 ${x(ratios.personViewP50VsFloor)}, CPU ${x(ratios.personViewCpuVsFloor)}; 50: p50 ${x(ratios.personViewP50VsFloorC50)}, CPU ${x(ratios.personViewCpuVsFloorC50)})`,
      met: againstFloor(ratios.personViewP50VsFloorUnloaded, ratios.personViewCpuVsFloorUnloaded),
    },
    {
      name: 'Case journey vs raw-SQL floor (1 connection)',
      goal: 'p50 ≤ 8× floor (aim 5×), CPU per request ≤ 15× (aim 8×)',
      measured: `p50 ${x(ratios.caseJourneyP50VsFloorUnloaded)}, CPU per request ${x(ratios.caseJourneyCpuVsFloorUnloaded)} (10 connections: p50 ${x(ratios.caseJourneyP50VsFloor)}, CPU ${x(ratios.caseJourneyCpuVsFloor)})`,
      met: againstFloor(ratios.caseJourneyP50VsFloorUnloaded, ratios.caseJourneyCpuVsFloorUnloaded),
    },
    {
      name: 'Policy cost',
      goal: 'policy on vs off ≤ 1.25× (p50 and throughput)',
      measured:
        `p50 on/off ${x(ratios.policyCostP50)}, req/s off/on ${x(ratios.policyCostRps)}, CPU per request ${x(ratios.policyCostCpu)}` +
        (ratios.auditCostP50 !== undefined
          ? ` — of which enforcement alone (audit off): p50 ${x(ratios.enforcementCostP50)}, req/s ${x(ratios.enforcementCostRps)}; audit on top: p50 ${x(ratios.auditCostP50)}, req/s ${x(ratios.auditCostRps)}`
          : ''),
      met: ratios.policyCostP50 === undefined ? null : Math.max(ratios.policyCostP50, ratios.policyCostRps) <= 1.25,
    },
    {
      name: 'Our gateway vs stock @apollo/gateway (public benchmark)',
      goal: 'req/s ≥ 1× stock (aim 2×)',
      measured:
        `req/s ${x(ratios.gatewayRps)}, p95 ${x(ratios.gatewayP95)} (lower is better); CPU per request ${x(ratios.gatewayCpu)} (lower is better)` +
        (ours?.errors.total ? `; ${ours.errors.total} answers of ours carried errors` : ''),
      // Fast refusals would count as throughput: an answer with errors disqualifies.
      met: ratios.gatewayRps === undefined ? null : ratios.gatewayRps >= 1 && !ours?.errors.total,
    },
  ];
  const series = r.statistics?.series;
  r.targets.push({
    name: "Analyst's monthly series: every county, five departments' statistics and indicators, one request (from the stored release)",
    goal: `< 1 s at ${SERIES_GOAL_MONTHS} months (p95)`,
    measured: series
      ? `${series.counties} counties × ${series.months} months, ${series.figures} figures each (+ ${series.yearOnYearFigures} year-on-year): p50 ${ms(series.p50)} ms, p95 ${ms(series.p95)} ms (${series.requests} requests, one at a time)` +
        (series.failed ? `; ${series.failed} answered errors (${series.firstFailure ?? '?'})` : '') +
        (series.months < SERIES_GOAL_MONTHS ? ` — ${series.months} months of history here; the goal is judged at ${SERIES_GOAL_MONTHS}` : '')
      : 'n/a',
    met: series && series.months >= SERIES_GOAL_MONTHS ? series.p95 < SERIES_GOAL_MS && !series.failed : null,
  });
}

/** The exact SQL profile of a measurement (the 1-connection runs share their scenario's). */
const sqlOf = (r: BenchResults, id: string): SqlProfile | undefined => r.sql[id] ?? r.sql[id.replace(/-c1$/, '')];

function sqlCell(r: BenchResults, id: string): string {
  const p = sqlOf(r, id);
  if (!p) return '–';
  return p.min === p.max ? p.mean.toFixed(0) : `${p.mean.toFixed(1)} (${p.min}–${p.max})`;
}

function rowsCell(r: BenchResults, id: string): string {
  const p = sqlOf(r, id);
  return p ? `${p.rows.mean.toFixed(0)} (${p.rows.min}–${p.rows.max})` : '–';
}

function cpuCell(m: LoadResult): string {
  const ours = Object.entries(m.cpuPercent)
    .map(([k, v]) => `${k} ${v.toFixed(0)}% = ${m.cpuMsPerRequest[k].toFixed(2)} ms/req`)
    .join(', ');
  return m.machine ? `${ours}; not ours ${m.machine.othersPercent.toFixed(0)}%` : ours;
}

function scenarioTable(r: BenchResults): string[] {
  const lines = [
    '| # | Scenario · server | req/s | p50 ms | p95 ms | p99 ms | errors | SQL / request | objects / response | CPU, 100% = 1 core |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const m of r.measurements) {
    const d = m.median;
    lines.push(
      `| ${m.scenario} | ${m.label} | ${d.rps.toFixed(0)} | ${ms(d.p50)} | ${ms(d.p95)} | ${ms(d.p99)} | ${d.errors.total} | ${sqlCell(r, m.id)} | ${rowsCell(r, m.id)} | ${cpuCell(d)} |`,
    );
  }
  const failed = r.measurements.filter((m) => m.median.errorMessages);
  if (failed.length) {
    lines.push('', 'Errors, by message (summed over the runs):', '');
    for (const m of failed) for (const [message, n] of Object.entries(m.median.errorMessages!)) lines.push(`- ${m.label}: ${n} × \`${message}\``);
  }
  return lines;
}

/** The issue's two bounds against the floor, both required. */
function againstFloor(p50: number | undefined, cpu: number | undefined): boolean | null {
  return p50 === undefined || cpu === undefined ? null : p50 <= 8 && cpu <= 15;
}

function ratioTable(r: BenchResults): string[] {
  const q = r.ratios;
  const rows: Array<[string, string, string, string]> = [];
  if (q.personViewP50VsFloor !== undefined)
    rows.push(['5 · person view: hub / raw-SQL floor', `p50 ${x(q.personViewP50VsFloor)}`, `req/s ${x(q.personViewRpsVsFloor)}`, x(q.personViewCpuVsFloor)]);
  if (q.personViewP50VsFloorUnloaded !== undefined)
    rows.push(['5 · person view, 1 connection: hub / raw-SQL floor', `p50 ${x(q.personViewP50VsFloorUnloaded)}`, '–', x(q.personViewCpuVsFloorUnloaded)]);
  if (q.personViewP50VsFloorC50 !== undefined)
    rows.push([
      '5 · person view, 50 connections: hub / raw-SQL floor',
      `p50 ${x(q.personViewP50VsFloorC50)}`,
      `req/s ${x(q.personViewRpsVsFloorC50)}`,
      x(q.personViewCpuVsFloorC50),
    ]);
  if (q.caseJourneyP50VsFloorUnloaded !== undefined)
    rows.push(['5 · case journey, 1 connection: hub / raw-SQL floor', `p50 ${x(q.caseJourneyP50VsFloorUnloaded)}`, '–', x(q.caseJourneyCpuVsFloorUnloaded)]);
  if (q.caseJourneyP50VsFloor !== undefined)
    rows.push([
      '5 · case journey: hub / raw-SQL floor',
      `p50 ${x(q.caseJourneyP50VsFloor)}`,
      `req/s ${x(q.caseJourneyRpsVsFloor)}`,
      x(q.caseJourneyCpuVsFloor),
    ]);
  if (q.policyCostP50 !== undefined)
    rows.push(['6 · policy cost: person view, policy on / off', `p50 ${x(q.policyCostP50)}`, `req/s (off / on) ${x(q.policyCostRps)}`, x(q.policyCostCpu)]);
  if (q.enforcementCostP50 !== undefined)
    rows.push([
      '6 · policy enforcement alone: policy on (audit off) / off',
      `p50 ${x(q.enforcementCostP50)}`,
      `req/s (off / on) ${x(q.enforcementCostRps)}`,
      x(q.enforcementCostCpu),
    ]);
  if (q.auditCostP50 !== undefined)
    rows.push(['6 · audit trail: policy on, audit on / audit off', `p50 ${x(q.auditCostP50)}`, `req/s (off / on) ${x(q.auditCostRps)}`, x(q.auditCostCpu)]);
  if (q.gatewayRps !== undefined)
    rows.push([
      '7 · public benchmark: our gateway / stock @apollo/gateway',
      `p95 ${x(q.gatewayP95)} (p50 ${x(q.gatewayP50)})`,
      `req/s ${x(q.gatewayRps)}`,
      `${x(q.gatewayCpu)} (gateway processes)`,
    ]);
  return [
    '| Comparison | latency | throughput | CPU per request |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    "CPU per request is the server process's CPU time divided by the requests it completed (the hub's gateway and subgraphs are one process; PostgreSQL is not counted on either side). It is steadier than throughput and latency when other work shares the machine.",
  ];
}

/** Horizontal bars of p50 / p95 / p99 per measurement on a log scale, as a standalone SVG. */
export function latencyChart(r: BenchResults): string {
  const rows = r.measurements;
  const labelWidth = 300;
  const plotWidth = 560;
  const rowHeight = 40;
  const top = 50;
  const height = top + rows.length * rowHeight + 50;
  const width = labelWidth + plotWidth + 40;
  const maxValue = Math.max(1, ...rows.map((m) => m.median.p99));
  const lo = 0.1;
  const hi = 10 ** Math.ceil(Math.log10(maxValue));
  const xOf = (v: number) => labelWidth + (plotWidth * (Math.log10(Math.max(v, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const colours: Array<[keyof LoadResult & ('p50' | 'p95' | 'p99'), string]> = [
    ['p50', '#2b6cb0'],
    ['p95', '#dd6b20'],
    ['p99', '#c53030'],
  ];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${labelWidth}" y="20" font-size="14" font-weight="bold">Latency by scenario (ms, log scale; median of ${r.settings.rounds} runs)</text>`,
  ];
  colours.forEach(([name, colour], i) => {
    out.push(`<rect x="${labelWidth + i * 70}" y="30" width="12" height="8" fill="${colour}"/><text x="${labelWidth + i * 70 + 16}" y="38">${name}</text>`);
  });
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    const gx = xOf(v).toFixed(1);
    out.push(`<line x1="${gx}" y1="${top - 5}" x2="${gx}" y2="${top + rows.length * rowHeight}" stroke="#ddd"/>`);
    out.push(`<text x="${gx}" y="${top + rows.length * rowHeight + 16}" text-anchor="middle" fill="#555">${v >= 1 ? v.toFixed(0) : v.toFixed(1)}</text>`);
  }
  out.push(`<text x="${labelWidth + plotWidth / 2}" y="${height - 12}" text-anchor="middle" fill="#555">milliseconds</text>`);
  rows.forEach((m, i) => {
    const y = top + i * rowHeight;
    out.push(`<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${esc(`${m.scenario} · ${m.label}`)}</text>`);
    out.push(`<text x="${labelWidth - 8}" y="${y + 31}" text-anchor="end" fill="#777" font-size="10">${m.median.rps.toFixed(0)} req/s</text>`);
    colours.forEach(([name, colour], j) => {
      const v = m.median[name];
      const w = Math.max(1, xOf(v) - labelWidth);
      out.push(`<rect x="${labelWidth}" y="${y + 4 + j * 10}" width="${w.toFixed(1)}" height="8" fill="${colour}"><title>${name} ${ms(v)} ms</title></rect>`);
      out.push(`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 11 + j * 10}" font-size="9" fill="#333">${ms(v)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const REPRODUCE = `    npm run bench                                     # everything (embedded PostgreSQL, small demo city), a few minutes
    BENCH_DURATION=10 npm run bench                   # longer measurements (seconds each; default 5)
    npm run bench -- --scale city --only hub          # the real city, 60 months: seeded once into an embedded PostgreSQL kept in .data/bench-city-pg
    npm run bench -- --scale medium --history-months 36   # another city or history (a different one reseeds the kept database)
    npm run bench -- --database-url postgresql://…    # on a database of yours (the small city seeded only where empty)
    AUDIT=off npm run bench                           # scenarios 1–3 without the audit trail
    npm run bench -- --only ab                        # only the gateway A/B (or --only hub)
    npm run bench -- --quiet-wait 40                  # on a shared machine: measure in its quieter moments
    npm run bench -- --profile                        # also CPU-profile every server and list our hot spots
    node dist/bench/profile.js bench/results/profiles/hub-policy-on.cpuprofile
    node dist/bench/report.js                         # redo this page and the chart from bench/results/latest.json`;

/** Other processes' CPU during the measurements (median per measurement), when the machine was shared. */
function sharedMachineNote(r: BenchResults): string[] {
  const others = r.measurements.map((m) => m.median.machine?.othersPercent).filter((v): v is number => v !== undefined);
  if (!others.length || Math.max(...others) < 25) return [];
  return [
    `> **Shared machine.** Other processes (not this benchmark's) used ${Math.min(...others).toFixed(0)}–${Math.max(...others).toFixed(0)}% CPU (100% = one core of ${r.machine.cpus}) during the measurements; ` +
      `load average ${r.machine.loadAverageAtStart.toFixed(1)} at the start` +
      (r.settings.quietWaitSec > 0
        ? `; each measurement waited up to ${r.settings.quietWaitSec} s for them to drop below ${r.settings.quietThresholdPercent}%, and was repeated (twice at most) when they went above ${2 * r.settings.quietThresholdPercent}% during it`
        : '') +
      '. Absolute figures are pessimistic; ratios of targets measured alternately, and CPU time per request, are less affected.',
    '',
  ];
}

/** `city-` for the city-scale run's files, nothing for the small city's. */
const filePrefix = (r: BenchResults) => (r.settings.scale === 'city' ? 'city-' : '');

/** What the city-scale page says of its database: the command, the city, how long its seed took. */
function cityIntro(r: BenchResults): string[] {
  const c = r.settings.city;
  if (r.settings.scale !== 'city') return [];
  const residents = r.data.counts['grid.person'];
  return [
    `The same suite on the real city (\`--scale city\`: ${residents ? residents.toLocaleString('en') : '?'} residents${c ? `, ${c.historyMonths} months of history` : ''}), with \`${reproduceCommand(r)}\`.`,
    '',
    c
      ? `The bench keeps this city in its own embedded PostgreSQL (${r.settings.database}): seeded ${c.seededAt.slice(0, 16).replace('T', ' ')} UTC in ${c.seconds.toFixed(0)} s, ${(c.databaseBytes / 2 ** 30).toFixed(2)} GiB, peak RSS of the seed ${c.peakRssMiB.toFixed(0)} MiB; ${c.seededNow ? 'seeded by this run' : 'reused by this run (same scale, history and seed)'}. A different \`--scale\`/\`--history-months\` seeds it again.`
      : `Database: ${r.settings.database}.`,
    '',
  ];
}

function reproduceCommand(r: BenchResults): string {
  const env = r.settings.durationSec !== 5 ? `BENCH_DURATION=${r.settings.durationSec} ` : '';
  const only = r.settings.parts.length === 1 ? ` --only ${r.settings.parts[0]}` : '';
  return `${env}npm run bench -- --scale city${r.settings.city && r.settings.city.historyMonths !== 60 ? ` --history-months ${r.settings.city.historyMonths}` : ''}${only}`;
}

/** The release refresh, the cells per level and the analyst's series: issue #19's figures at this scale. */
function statisticsSection(r: BenchResults): string[] {
  const st = r.statistics;
  if (!st) return [];
  const total = st.refresh.reduce((n, x) => n + x.seconds, 0);
  const name = (d: string) => (d === 'civilToCriminal' ? '民转刑 (PSI-CA between justice and police)' : d);
  const departments = [...new Set(st.levels.map((l) => l.department))];
  const kinds = [...new Set(st.levels.map((l) => `${l.level} × ${l.period}`))];
  const cell = (kind: string, d?: string) => {
    const ls = st.levels.filter((l) => `${l.level} × ${l.period}` === kind && (!d || l.department === d));
    const [cells, withheld] = [ls.reduce((n, l) => n + l.cells, 0), ls.reduce((n, l) => n + l.withheld, 0)];
    return cells ? `${withheld.toLocaleString('en')} / ${cells.toLocaleString('en')}` : '–';
  };
  const q = st.series;
  return [
    "## Statistics: the release and the analyst's series",
    '',
    `Before the hubs start, the bench refreshes every statistics release with the code of \`hub stats refresh\` (suppression decided over the whole hierarchy, then 民转刑), one department after another, in the runner process. Load average ${r.machine.loadAverageAtStart.toFixed(1)} at the start of the run, ${r.machine.loadAverageAtEnd?.toFixed(1) ?? '?'} at its end (${r.machine.cpus} cores).`,
    '',
    '| Release | cells | withheld | refresh time |',
    '|---|--:|--:|--:|',
    ...st.refresh.map(
      (x) =>
        `| ${name(x.department)}${x.elements ? ` — ${x.elements.police.toLocaleString('en')} police and ${x.elements.justice.toLocaleString('en')} justice elements` : ''} | ${x.cells.toLocaleString('en')} | ${x.withheld.toLocaleString('en')} | ${x.seconds.toFixed(1)} s |`,
    ),
    `| all | ${st.refresh.reduce((n, x) => n + x.cells, 0).toLocaleString('en')} | ${st.refresh.reduce((n, x) => n + x.withheld, 0).toLocaleString('en')} | ${total.toFixed(1)} s |`,
    '',
    `Withheld of released cells per level and period (${st.firstMonth} … ${st.lastMonth}; 民转刑's yearly cells are in its line above):`,
    '',
    `| Level × period | all | ${departments.join(' | ')} |`,
    `|---|--:|${departments.map(() => '--:').join('|')}|`,
    ...kinds.map((k) => `| ${k} | ${cell(k)} | ${departments.map((d) => cell(k, d)).join(' | ')} |`),
    '',
    `The analyst's monthly series: \`districts { monthly(from, to) { … } }\` over the release's last ${q.months} months (${st.seriesFrom ?? st.firstMonth} … ${st.lastMonth}; a series takes 60 at most), ${q.counties} counties with the five departments' statistics and indicators (${q.figures} figures a county and month — counts, rates per 10,000 residents, success and on-time closure rates — and ${q.yearOnYearFigures} year-on-year changes from the release's second year on, under a second alias), one request of ${(q.bytes / 1024).toFixed(0)} KiB read from the stored release, as the analyst through the gateway (policy and audit on): ` +
      `**p50 ${ms(q.p50)} ms, p95 ${ms(q.p95)} ms**, max ${ms(q.max)} ms over ${q.requests} requests one at a time, after 3 unmeasured ones.`,
    '',
  ];
}

export function markdown(r: BenchResults): string {
  const s = r.settings;
  const mark = (met: boolean | null) => (met === null ? '–' : met ? '✅ met' : '❌ not met');
  const json = `bench/results/${filePrefix(r)}latest.json`;
  const lines = [
    s.scale === 'city' ? '# Performance at city scale' : '# Performance',
    '',
    ...cityIntro(r),
    `Generated by \`npm run bench\` (${r.startedAt.slice(0, 16).replace('T', ' ')} UTC); do not edit by hand — rerun to refresh. Raw figures: [\`${json}\`](../${json}).`,
    '',
    ...sharedMachineNote(r),
    '## Reproduce',
    '',
    REPRODUCE,
    '',
    '## Targets',
    '',
    '| Target | Goal | Measured | |',
    '|---|---|---|---|',
    ...r.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${mark(t.met)} |`),
    '',
    '## Ratios',
    '',
    ...ratioTable(r),
    '',
    '## Scenarios',
    '',
    `Median of ${s.rounds} runs of ${s.durationSec} s each, after ${s.warmupSec} s of warm-up; ${s.connections} concurrent connections for the hub scenarios, ${s.abConnections} for the public benchmark. ` +
      'SQL statements and objects per response are exact counts over the sampled requests sent one at a time (mean, then min–max). Errors are summed over the runs.',
    '',
    ...scenarioTable(r),
    '',
    `![Latency by scenario](../bench/results/${filePrefix(r)}latency.svg)`,
    '',
    ...statisticsSection(r),
  ];
  if (r.scaling.length) {
    lines.push(
      '## SQL statements do not grow with rows',
      '',
      "The same selections for one record and for pages of 10 and 100 (as many as exist), through the gateway: the grid worker's list with the policy on; the person view and the case journey with the policy off and no case stated, since a page spans many cases and the policy grants the full view for the one case a caller states (a stated case adds the gateway's purpose check, cached for a while, which is not the loaders' doing). \"1\" is the most statements any single sampled record needed — every branch of the query non-empty (for the person view, the sampled parties and the ten residents with the most kinds of records).",
      '',
      '| Query | ' + r.scaling[0].points.map((p) => (p.size === 1 ? '1 record' : `page of ${p.size}`)).join(' | ') + ' |',
      '|---|' + r.scaling[0].points.map(() => '---').join('|') + '|',
    );
    for (const c of r.scaling) lines.push(`| ${c.name} | ${c.points.map((p) => `**${p.statements}** SQL, ${p.rows} objects`).join(' | ')} |`);
    const byDept = Object.entries(r.sql).filter(([id]) => !id.includes('floor'));
    if (byDept.length) {
      lines.push(
        '',
        'Mean statements per request by department:',
        '',
        '| Scenario | ' + Object.keys(byDept[0][1].byCounter).join(' | ') + ' |',
        '|---|' +
          Object.keys(byDept[0][1].byCounter)
            .map(() => '--:')
            .join('|') +
          '|',
      );
      for (const [id, p] of byDept)
        lines.push(
          `| ${id} | ${Object.values(p.byCounter)
            .map((v) => v.toFixed(2))
            .join(' | ')} |`,
        );
    }
    lines.push('');
  }
  const audited = Object.entries(r.sql).filter(([, p]) => p.auditRowsPerRequest !== undefined);
  if (audited.length) {
    lines.push(
      'Audit rows written per request (the audit writer has its own connections, outside the counts above, and writes one batch per subgraph and request):',
      '',
      ...audited.map(([id, p]) => `- ${id}: ${p.auditRowsPerRequest!.toFixed(1)}`),
      '',
    );
  }
  lines.push(
    '## Memory (peak RSS)',
    '',
    '| Process | peak RSS |',
    '|---|--:|',
    ...r.memory.map((m) => `| ${m.process} | ${m.peakRssMiB.toFixed(0)} MiB |`),
    '',
  );
  lines.push(
    '## How it is measured',
    '',
    `- Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}. Load generator, servers and PostgreSQL share the machine.`,
    `- Database: ${s.database || 'n/a'}${
      Object.keys(r.data.counts).length
        ? ` (${Object.entries(r.data.counts)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')})`
        : ''
    }.`,
    '- Every server runs in its own child process; autocannon drives it from the runner process over loopback with keep-alive connections in a closed loop. The hub runs in embedded mode (gateway and five subgraphs in one process); each hub variant (policy on, policy off, and policy on without auditing) is such a process on the same database; all are measured alternately, round by round, with the floor.',
    `- Scenario 1 (person view): a judge of the district whose court tried the person's case, stating it (\`x-purpose: case:<court case number>\`), asks for one person's registry entry, police records, prosecutions, court cases, mediations and community correction — all five departments; a random one of ${r.data.samples.people ?? '?'} parties of court cases of every kind and district (each with one court case, and for a criminal one no police or prosecution record of another case) per request. Auditing as \`AUDIT=${s.audit}\` says (every sensitive-field decision is written to the hash-chained trail before the subgraph answers).`,
    `- Scenario 2 (case journey): a police case with its participants, arrest review, prosecution and defendants, court case with hearings and parties, and community correction; a random one of ${r.data.samples.cases ?? '?'} prosecuted and tried cases of every district, a judge of the trying court stating the case (\`x-purpose: case:<police case number>\`).`,
    `- Scenario 3 (grid worker list): a random page (size 10) of a random one of ${r.data.samples.gridWorkers ?? '?'} grid workers' resident lists (${r.data.samples.gridPages ?? '?'} pages), row-scoped by the policy in SQL.`,
    "- Scenario 5 (raw-SQL floor): a minimal Node HTTP server with node-pg, named prepared statements and `= any($1)` key batches, one statement per department and step, independent steps in parallel, no department join; same pool size per department as the hub. Before timing, its answers are checked to deep-equal the hub's (policy off) for every sampled request.",
    '- Scenario 6 (policy cost): scenario 1 against a hub started with `POLICY_ENFORCEMENT=off` (dev only), alternating with the policy-on hub; with auditing on, also against a policy-on hub started with `AUDIT=off`, which splits the cost into enforcement and audit.',
    "- Scenario 7 (gateway A/B): The Guild's public gateway benchmark (supergraph, `TestQuery`, fixed data; `bench/gateways-benchmark/`) on Node subgraphs (@apollo/subgraph + @apollo/server, four routes on one port, in one process); our gateway (`startGateway`: caller JWT, internal tokens, plugins) and stock @apollo/gateway on `startStandaloneServer`, each in its own process, alternating. Both must return `expected-response.json` exactly first.",
    '- Checks made before timing in this run:',
    ...r.checks.map((c) => `  - ${c}`),
    '',
  );
  lines.push(...bindingSection(), ...policyFieldCostSection(), ...leversSection());
  if (r.profiles?.length) {
    lines.push('## CPU profiles (`--profile`)', '', '```', ...r.profiles.map(formatProfile), '```', '');
  }
  return lines.join('\n');
}

/** Where `node dist/bench/personViewLatency.js N --binding-ab` leaves its figures (relative to the repository). */
export const BINDING_RESULTS = 'bench/results/binding.json';

/** The person view with and without the binding of internal tokens to their call (issue #14), alternating on one hub. */
export interface BindingResults {
  measuredAt: string;
  requestsEach: number;
  /** The 1-minute load average when the measurement started and ended (2 cores, shared). */
  loadAverage: [number, number];
  with: { p50: number; p95: number; cpuMsPerRequest: number };
  without: { p50: number; p95: number; cpuMsPerRequest: number };
}

/** The binding's cost, when it has been measured (its own command, not part of `npm run bench`). */
function bindingSection(): string[] {
  const file = join(repoRoot, BINDING_RESULTS);
  if (!existsSync(file)) return [];
  const b = JSON.parse(readFileSync(file, 'utf8')) as BindingResults;
  const pct = (a: number, z: number) => `${(((a - z) / z) * 100).toFixed(1)} %`;
  return [
    '## Binding internal tokens to their call',
    '',
    `Measured ${b.measuredAt.slice(0, 16).replace('T', ' ')} UTC by \`node dist/bench/personViewLatency.js ${b.requestsEach} --binding-ab\` ([\`${BINDING_RESULTS}\`](../${BINDING_RESULTS})): scenario 1's person view on one connection against one embedded hub, in blocks of 100 requests alternating between the hub as it runs (each subgraph call bound to its subgraph, document hash and deadline by a MAC the subgraph checks) and the same calls without that work (no document hash, no MAC made or checked; the one-time \`jti\` and its replay guard run in both). Every department is called in both; the policy refuses this court officer some departments' records outside a stated case, and those refusals are answers like the rest. Load average ${b.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on 2 shared cores. Goal: under 5 % of the person view's p50.`,
    '',
    '| | p50 | p95 | CPU per request (hub and client) |',
    '|---|--:|--:|--:|',
    `| with the binding | ${ms(b.with.p50)} ms | ${ms(b.with.p95)} ms | ${b.with.cpuMsPerRequest.toFixed(2)} ms |`,
    `| without it | ${ms(b.without.p50)} ms | ${ms(b.without.p95)} ms | ${b.without.cpuMsPerRequest.toFixed(2)} ms |`,
    `| cost | ${pct(b.with.p50, b.without.p50)} | ${pct(b.with.p95, b.without.p95)} | ${pct(b.with.cpuMsPerRequest, b.without.cpuMsPerRequest)} |`,
    '',
  ];
}

/** Where `node dist/bench/policyFieldCost.js` leaves its figures. */
export const POLICY_FIELD_COST_RESULTS = 'bench/results/policy-field-cost.json';

/** A policy layer's CPU cost per resolved field, in process, against the bare schema. */
export interface PolicyFieldCostResults {
  measuredAt: string;
  records: number;
  fieldsPerExecution: number;
  loadAverage: [number, number];
  ways: Array<{ name: string; msPerExecution: number; nsPerField: number }>;
}

/** graphql-shield's cost per field against the policy's synchronous guards (its own command, not part of `npm run bench`). */
function policyFieldCostSection(): string[] {
  const file = join(repoRoot, POLICY_FIELD_COST_RESULTS);
  if (!existsSync(file)) return [];
  const c = JSON.parse(readFileSync(file, 'utf8')) as PolicyFieldCostResults;
  return [
    '## Policy pass: what a layer costs per field',
    '',
    `Measured ${c.measuredAt.slice(0, 16).replace('T', ' ')} UTC by \`node dist/bench/policyFieldCost.js ${c.records}\` ([\`${POLICY_FIELD_COST_RESULTS}\`](../${POLICY_FIELD_COST_RESULTS})): a list of ${c.records} records of ten scalar fields (${c.fieldsPerExecution} field resolutions) executed in process, each way in turn, seven alternating rounds, median CPU time per execution. Load average ${c.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on 2 shared cores. graphql-shield wraps a field in async functions (its middleware, the rule's resolve, the resolver awaited): three promises per field and record, whatever the rule. The policy now installs one synchronous guard per field of a record type (a listed field is decided once per record, its conditions once per record for all its fields; an unlisted one costs an agency look-up) and keeps graphql-shield on the entry points (Query and Mutation fields, a few per request), where its fallback rule denies what the rule map misses.`,
    '',
    '| Way | CPU per execution | over the bare schema, per field |',
    '|---|--:|--:|',
    ...c.ways.map(
      (w) =>
        `| ${w.name} | ${w.msPerExecution.toFixed(1)} ms | ${w.name === 'bare schema' ? '–' : Math.abs(w.nsPerField) < 10 ? '≈ 0 (within noise)' : `${w.nsPerField.toFixed(0)} ns`} |`,
    ),
    '',
  ];
}

/** Where `LABEL=… node bench/compare-builds.mjs` adds its figures: one entry per lever of issue #21. */
export const LEVER_RESULTS = 'bench/results/levers.json';

interface LeverSide {
  env: string | null;
  p50: number;
  p90: number;
  cpuMsPerRequest: number;
  peakRssMiB: number;
}

/** Each lever's before (A) and after (B), alternating request by request on two hubs (`bench/compare-builds.mjs`). */
function leversSection(): string[] {
  const file = join(repoRoot, LEVER_RESULTS);
  if (!existsSync(file)) return [];
  const levers = JSON.parse(readFileSync(file, 'utf8')) as Array<{
    label: string;
    measuredAt: string;
    requestsEach: number;
    loadAverage: [number, number];
    a: LeverSide;
    b: LeverSide;
  }>;
  return [
    '## Levers, each measured on its own',
    '',
    `Two embedded hubs (\`hub start\`, demo city) on one PostgreSQL answer person views (a court officer, every department; or case journeys, \`SCENARIO=case-journey\`) one at a time, alternating A B B A … request by request, so the machine's load falls on both alike: \`node_modules/.bin/node bench/compare-builds.mjs <hub.js A> <hub.js B>\` (one build with \`ENV_A\`/\`ENV_B\`, or two builds; \`LABEL=…\` adds the figures to [\`${LEVER_RESULTS}\`](../${LEVER_RESULTS})). CPU per request is each hub process's CPU time (from /proc) over its requests; on a loaded machine the absolute figures swell, the ratios are the result. The two sides are not alike: the A/A row (the same build on both) shows B about 10 % cheaper than A, so one order's ratio flatters B; the graphql-jit rows were measured in both orders, and their labels give the effect with that bias cancelled (√(ratio A→B ÷ ratio with the builds swapped)).`,
    '',
    '| Lever | requests each | load average | p50 A → B | p90 A → B | CPU per request A → B | peak RSS A → B |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...levers.map(
      (l) =>
        `| ${l.label} (${l.measuredAt.slice(0, 16).replace('T', ' ')} UTC) | ${l.requestsEach} | ${l.loadAverage.map((x) => x.toFixed(1)).join(' → ')} | ${ms(l.a.p50)} → ${ms(l.b.p50)} ms (${(l.b.p50 / l.a.p50).toFixed(2)}×) | ${ms(l.a.p90)} → ${ms(l.b.p90)} ms | ${l.a.cpuMsPerRequest.toFixed(1)} → ${l.b.cpuMsPerRequest.toFixed(1)} ms (${(l.b.cpuMsPerRequest / l.a.cpuMsPerRequest).toFixed(2)}×) | ${l.a.peakRssMiB.toFixed(0)} → ${l.b.peakRssMiB.toFixed(0)} MiB |`,
    ),
    '',
  ];
}

/** The console summary at the end of a run. */
export function summary(r: BenchResults): string {
  const rows = r.measurements.map((m) => {
    const d = m.median;
    return `${m.scenario} ${m.label.padEnd(42)} ${d.rps.toFixed(0).padStart(6)} req/s  p50 ${ms(d.p50).padStart(6)}  p95 ${ms(d.p95).padStart(6)}  p99 ${ms(d.p99).padStart(6)} ms  errors ${d.errors.total}  SQL/req ${sqlCell(r, m.id)}`;
  });
  const targets = r.targets.map((t) => `${t.met === null ? '  –' : t.met ? ' ok' : 'NOT'}  ${t.name} (${t.goal}): ${t.measured}`);
  const memory = r.memory.map((m) => `  ${m.peakRssMiB.toFixed(0).padStart(5)} MiB  ${m.process}`);
  return ['Medians:', ...rows, '', 'Targets:', ...targets, '', 'Peak RSS:', ...memory].join('\n');
}

/** Whether a run has a page: the small city's (docs/performance.md) and the real city's (docs/performance-city.md). */
const documented = (r: BenchResults) => (r.settings.scale ?? 'small') === 'small' || r.settings.scale === 'city';

/** Writes the chart and docs/performance.md (performance-city.md) for `r` (also the CLI below, to redo them from a results file). */
function writeDocs(r: BenchResults, resultsDir: string): string[] {
  const svg = join(resultsDir, `${filePrefix(r)}latency.svg`);
  writeFileSync(svg, latencyChart(r));
  const md = join(repoRoot, 'docs', r.settings.scale === 'city' ? 'performance-city.md' : 'performance.md');
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  writeFileSync(md, markdown(r));
  return [svg, md];
}

export function writeResults(r: BenchResults, opts: { resultsDir: string; docs: boolean }): { files: string[]; summary: string } {
  mkdirSync(opts.resultsDir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const scale = r.settings.scale ?? 'small';
  const latest = scale === 'small' ? 'latest.json' : `${scale}-latest.json`;
  const files = [join(opts.resultsDir, `${stamp}.json`), join(opts.resultsDir, latest)];
  for (const f of files) writeFileSync(f, json);
  if (opts.docs && documented(r)) files.push(...writeDocs(r, opts.resultsDir));
  return { files: files.map((f) => f.replace(`${repoRoot}/`, '')), summary: summary(r) };
}

/** `node dist/bench/report.js [bench/results/latest.json]`: redo the chart and docs/performance.md from a run's results. */
if (require.main === module) {
  const file = process.argv[2] ?? join(repoRoot, 'bench', 'results', 'latest.json');
  const r = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  evaluate(r);
  for (const f of writeDocs(r, dirname(file))) process.stdout.write(`wrote ${f.replace(`${repoRoot}/`, '')}\n`);
}
