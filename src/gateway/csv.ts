import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { HttpError, sendJson } from '../shared/http';
import { readStatisticsColumns, type ColumnGroup, type StatisticsColumns } from '../shared/statisticsColumns';
import type { GatewayContext } from './context';

/*
 * Statistics as CSV for spreadsheet users: `GET /stats.csv?query=<name>&from=&to=&division=` with
 * the caller's token. The named query runs through the gateway's own execution (so the policy,
 * jurisdiction and suppression apply exactly as for GraphQL); its rows become CSV with the Chinese
 * column labels the departments declare (schema/statistics-columns.json), withheld and denied cells
 * marked, and a footer saying what the marks mean.
 */

/** A CSV column: where its value sits in a result row, and its label. */
interface Column {
  path: string[];
  label: string;
}

interface NamedQuery {
  /** The selection under each division (or month), with the range arguments where they belong. */
  selection: string;
  columns: Column[];
  /** One row per month of the division asked for, instead of one per division. */
  perMonth?: boolean;
  /** The city's row (its totals) before the districts' when no division is asked for; flows are per district, so they have none. */
  cityTotal?: boolean;
}

function groupColumns(groups: ColumnGroup[], under: string[] = []): Column[] {
  return groups.flatMap((g) => g.figures.map(([figure, label]) => ({ path: [...under, g.field, figure], label: `${g.label}·${label}` })));
}

function groupSelection(groups: ColumnGroup[], args: string): string {
  return groups.map((g) => `${g.field}${args} { ${g.figures.map(([figure]) => figure).join(' ')} suppressedFields }`).join(' ');
}

const RANGE_ARGS = '(from: $from, to: $to)';

/**
 * The statistics queries the export knows, by name, from the departments' declared columns: each
 * department's statistics object (统计), the criminal case funnel (案件流转: police → procuratorate →
 * court → community corrections) and the dispute funnel (矛盾纠纷化解: grid report → people's
 * mediation → court).
 */
export function statisticsQueries({ districts, caseFlow, disputeFlow }: StatisticsColumns): Record<string, NamedQuery> {
  return {
    districts: { selection: groupSelection(districts, RANGE_ARGS), columns: groupColumns(districts), cityTotal: true },
    caseFlow: { selection: `caseFlow${RANGE_ARGS} { ${groupSelection(caseFlow, '')} }`, columns: groupColumns(caseFlow, ['caseFlow']) },
    disputeFlow: { selection: `disputeFlow${RANGE_ARGS} { ${groupSelection(disputeFlow, '')} }`, columns: groupColumns(disputeFlow, ['disputeFlow']) },
    monthly: { selection: groupSelection(districts, ''), columns: [{ path: ['month'], label: '月份' }, ...groupColumns(districts)], perMonth: true },
  };
}

let queries: Record<string, NamedQuery> | undefined;
/** The queries of the committed columns file, read once. */
const knownQueries = () => (queries ??= statisticsQueries(readStatisticsColumns()));

type Row = Record<string, unknown>;
type Data = Record<string, unknown>;
/** A result row and where it sits in the GraphQL answer (to match the errors of its cells). */
interface Located {
  row: Row;
  at: (string | number)[];
}

function operation(named: NamedQuery, division: string | null): { query: string; rows: (data: Data) => Located[] } {
  if (named.perMonth) {
    return {
      query: `query ($division: String!, $from: Date!, $to: Date!) { district(code: $division) { code name monthly(from: $from, to: $to) { month ${named.selection} } } }`,
      rows: (data) => {
        const d = data.district as { code: string; name: string; monthly: Row[] | null } | null;
        return (d?.monthly ?? []).map((m, i) => ({ row: { code: d!.code, name: d!.name, ...m }, at: ['district', 'monthly', i] }));
      },
    };
  }
  if (division) {
    return {
      query: `query ($division: String!, $from: Date, $to: Date) { district(code: $division) { code name ${named.selection} townships { code name ${named.selection} } } }`,
      rows: (data) => {
        const d = data.district as (Row & { townships: Row[] }) | null;
        if (!d) return [];
        return [{ row: d, at: ['district'] }, ...d.townships.map((row, i) => ({ row, at: ['district', 'townships', i] }))];
      },
    };
  }
  return {
    query: `query ($from: Date, $to: Date) { ${named.cityTotal ? `city { code name ${named.selection} } ` : ''}districts { code name ${named.selection} } }`,
    rows: (data) => [
      ...(data.city ? [{ row: data.city as Row, at: ['city'] }] : []),
      ...((data.districts as Row[] | null) ?? []).map((row, i) => ({ row, at: ['districts', i] })),
    ],
  };
}

/** Marks of a cell that has no number, explained in the footer. */
export const WITHHELD = '*';
export const DENIED = '—';
const FOOTER: Record<string, string> = {
  [WITHHELD]: `${WITHHELD} 不公开：小于公布门槛的计数（1 至门槛减一），或可由合计推出这类计数而一并不公开的格子（保护个人信息），或该指标不在此层级、此期间公布（如调解结案数仅按区县、全市年度公布）`,
  [DENIED]: `${DENIED} 无权查看：访问策略不向您的机构提供此项（如辖区外的区划）`,
};

type Cell = { kind: 'value'; value: unknown } | { kind: 'withheld' } | { kind: 'denied' };

/**
 * One cell: the number, withheld (named in its object's `suppressedFields`), denied (an error on
 * its path or an enclosing one), or empty (no figure, e.g. a rate of nothing).
 */
function cell(located: Located, column: Column, errorPaths: Set<string>): Cell {
  let value: unknown = located.row;
  const path = [...located.at];
  for (const [i, key] of column.path.entries()) {
    const object = value as Row | null | undefined;
    if (object === null || object === undefined) break;
    if (i === column.path.length - 1 && Array.isArray(object.suppressedFields) && object.suppressedFields.includes(key)) return { kind: 'withheld' };
    value = object[key];
    path.push(key);
    if ((value === null || value === undefined) && errorPaths.has(path.join('.'))) return { kind: 'denied' };
  }
  return { kind: 'value', value: value ?? null };
}

/** One CSV field (RFC 4180): quoted when needed; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The marks' explanation, after a blank line, for the marks the table uses. */
function footer(marks: Set<string>): string[] {
  return marks.size ? ['', ...[...marks].map((m) => FOOTER[m])] : [];
}

/**
 * UTF-8 with a byte-order mark (Excel reads the Chinese right), CRLF line ends, the named query's
 * columns whatever the answer holds (a department denied to the caller is a column of marks, not a
 * missing or stray one), and a footer for the marks.
 */
export function toCsv(named: NamedQuery, rows: Located[], errorPaths: Set<string>): string {
  const columns: Column[] = [{ path: ['code'], label: '区划代码' }, { path: ['name'], label: '名称' }, ...named.columns];
  const marks = new Set<string>();
  const lines = [columns.map((c) => csvField(c.label)).join(',')];
  for (const located of rows) {
    lines.push(
      columns
        .map((column) => {
          const c = cell(located, column, errorPaths);
          if (c.kind === 'value') return csvField(c.value);
          const mark = c.kind === 'withheld' ? WITHHELD : DENIED;
          marks.add(mark);
          return csvField(mark);
        })
        .join(','),
    );
  }
  return `\uFEFF${[...lines, ...footer(marks)].join('\r\n')}\r\n`;
}

/** Codes a failed GraphQL request is refused with (400) rather than exported. */
const REFUSED = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/** The same error once: a bad date is checked by every statistics field that takes it. */
function distinctErrors(errors: readonly GraphQLFormattedError[]): { message: string; extensions?: Record<string, unknown> }[] {
  const seen = new Map<string, { message: string; extensions?: Record<string, unknown> }>();
  for (const e of errors) {
    const key = `${String(e.extensions?.code)}\u0000${e.message}`;
    if (!seen.has(key)) seen.set(key, { message: e.message, ...(e.extensions ? { extensions: { ...e.extensions } } : {}) });
  }
  return [...seen.values()];
}

/** Serves `GET /stats.csv`; `context` authenticates the caller (401 without a valid token). */
export async function serveStatisticsCsv(
  req: IncomingMessage,
  res: ServerResponse,
  apollo: ApolloServer<GatewayContext>,
  context: () => Promise<GatewayContext>,
): Promise<void> {
  if (req.method !== 'GET') throw new HttpError(405, 'use GET /stats.csv?query=<name>&from=&to=&division=', 'METHOD_NOT_ALLOWED', { allow: 'GET' });
  const contextValue = await context();
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const name = params.get('query') ?? '';
  const known = knownQueries();
  const named = Object.hasOwn(known, name) ? known[name] : undefined;
  if (!named) throw new HttpError(400, `query must be one of ${Object.keys(known).join(', ')}`, 'BAD_USER_INPUT');
  const division = params.get('division') || null;
  if (named.perMonth && !division) throw new HttpError(400, `${name} needs a division`, 'BAD_USER_INPUT');
  const { query, rows } = operation(named, division);
  const variables = { division, from: params.get('from') || null, to: params.get('to') || null };
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new HttpError(500, 'unexpected incremental result', 'INTERNAL_SERVER_ERROR');
  const { data, errors = [] } = response.body.singleResult;
  if (!data || errors.some((e) => REFUSED.has(String(e.extensions?.code)))) {
    sendJson(res, 400, { errors: distinctErrors(errors) });
    return;
  }
  const located = rows(data);
  const errorPaths = new Set(errors.filter((e) => e.path).map((e) => e.path!.join('.')));
  // Nothing but marks (e.g. a grid worker, who gets no statistics): a plain refusal, not a grid of dashes.
  const anyFigure = located.some((l) => named.columns.some((c) => cell(l, c, errorPaths).kind !== 'denied'));
  if (located.length && !anyFigure) {
    const reason = errors.map((e) => e.extensions?.reason).find((r) => typeof r === 'string');
    throw new HttpError(403, `no statistics for this caller${reason ? ` (${reason})` : ''}`, 'FORBIDDEN');
  }
  const body = toCsv(named, located, errorPaths);
  const file = [name, division, variables.from, variables.to].filter(Boolean).join('_');
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="statistics_${file}.csv"`,
    'content-length': Buffer.byteLength(body),
    // Cells the policy denied are marked in the table; this says how many errors there were.
    'x-hub-field-errors': String(errors.length),
  });
  res.end(body);
}
