import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { HttpError, sendJson } from '../shared/http';
import type { GatewayContext } from './context';

/*
 * Statistics as CSV for spreadsheet users: `GET /stats.csv?query=<name>&from=&to=&division=` with
 * the caller's token. The named query runs through the gateway's own execution (so the policy,
 * jurisdiction and suppression apply exactly as for GraphQL) and its rows are flattened to CSV.
 */

const FIGURES = `
  gridStatistics(from: $from, to: $to) { eventsReported disputes hazards gridWorkersActive suppressedFields }
  policeStatistics(from: $from, to: $to) { incidents casesFiled casesTransferred suppressedFields }
  procuratorateStatistics(from: $from, to: $to) { arrestsApproved arrestsNotApproved prosecutions nonProsecutions pending suppressedFields }
  courtStatistics(from: $from, to: $to) { casesFiled casesConcluded convictions mediatedSettlements judicialConfirmations suppressedFields }
  justiceStatistics(from: $from, to: $to) { mediationCases mediationsSucceeded successRate peopleUnderCorrection legalAidCases suppressedFields }`;
const MONTH_FIGURES = FIGURES.replace(/\(from: \$from, to: \$to\)/g, '');
const CASE_FLOW = `caseFlow(from: $from, to: $to) {
  police { filed transferred suppressedFields } procuratorate { received prosecuted suppressedFields }
  court { tried convicted suppressedFields } justice { communityCorrections suppressedFields } }`;
const DISPUTE_FLOW = `disputeFlow(from: $from, to: $to) {
  grid { disputesReported suppressedFields } justice { mediated succeeded failed suppressedFields }
  court { judicialConfirmations lawsuits suppressedFields } }`;

type Row = Record<string, unknown>;
type Data = Record<string, unknown>;

interface NamedQuery {
  /** One row per division: the county-level districts, or the division asked for and its townships. */
  perDivision?: string;
  /** One row per month of the division asked for. */
  perMonth?: string;
}

/** The statistics queries the export knows, by name. */
export const STATISTICS_QUERIES: Record<string, NamedQuery> = {
  districts: { perDivision: FIGURES },
  caseFlow: { perDivision: CASE_FLOW },
  disputeFlow: { perDivision: DISPUTE_FLOW },
  monthly: { perMonth: MONTH_FIGURES },
};

function operation(named: NamedQuery, division: string | null): { query: string; rows(data: Data): Row[] } {
  if (named.perMonth) {
    return {
      query: `query ($division: String!, $from: String!, $to: String!) { district(code: $division) { code name monthly(from: $from, to: $to) { month ${named.perMonth} } } }`,
      rows: (data) => {
        const d = data.district as { code: string; name: string; monthly: Row[] | null } | null;
        return (d?.monthly ?? []).map((m) => ({ code: d!.code, name: d!.name, ...m }));
      },
    };
  }
  if (division) {
    return {
      query: `query ($division: String!, $from: String, $to: String) { district(code: $division) { code name ${named.perDivision} townships { code name ${named.perDivision} } } }`,
      rows: (data) => {
        const d = data.district as (Row & { townships: Row[] }) | null;
        if (!d) return [];
        const { townships, ...own } = d;
        return [own, ...townships];
      },
    };
  }
  return {
    query: `query ($from: String, $to: String) { districts { code name ${named.perDivision} } }`,
    rows: (data) => (data.districts as Row[] | null) ?? [],
  };
}

/**
 * A result row as CSV cells: nested objects become dotted column names; the `suppressedFields` of
 * each statistics object become one `suppressed` column naming the withheld cells.
 */
export function flatten(row: Row): Map<string, unknown> {
  const cells = new Map<string, unknown>();
  const suppressed: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'suppressedFields' && Array.isArray(v)) suppressed.push(...v.map((f) => [...path, String(f)].join('.')));
        else walk(v, [...path, k]);
      }
    } else cells.set(path.join('.'), Array.isArray(value) ? value.join(' ') : value);
  };
  walk(row, []);
  cells.set('suppressed', suppressed.join(' '));
  return cells;
}

/** One CSV field (RFC 4180): quoted when needed; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark (Excel reads the Chinese names right), CRLF line ends, columns in first-seen order. */
export function toCsv(rows: Row[]): string {
  const flat = rows.map(flatten);
  const columns: string[] = [];
  for (const cells of flat) for (const k of cells.keys()) if (k !== 'suppressed' && !columns.includes(k)) columns.push(k);
  columns.push('suppressed');
  const lines = [columns.map(csvField).join(','), ...flat.map((cells) => columns.map((c) => csvField(cells.get(c))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Codes a failed GraphQL request is refused with (400) rather than exported. */
const REFUSED = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/** Serves `GET /stats.csv`; `context` authenticates the caller (401 without a valid token). */
export async function serveStatisticsCsv(req: IncomingMessage, res: ServerResponse, apollo: ApolloServer<GatewayContext>, context: () => Promise<GatewayContext>): Promise<void> {
  if (req.method !== 'GET') throw new HttpError(405, 'use GET /stats.csv?query=<name>&from=&to=&division=', 'METHOD_NOT_ALLOWED', { allow: 'GET' });
  const contextValue = await context();
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const name = params.get('query') ?? '';
  const named = Object.hasOwn(STATISTICS_QUERIES, name) ? STATISTICS_QUERIES[name] : undefined;
  if (!named) throw new HttpError(400, `query must be one of ${Object.keys(STATISTICS_QUERIES).join(', ')}`, 'BAD_USER_INPUT');
  const division = params.get('division') || null;
  if (named.perMonth && !division) throw new HttpError(400, `${name} needs a division`, 'BAD_USER_INPUT');
  const { query, rows } = operation(named, division);
  const variables = { division, from: params.get('from') || null, to: params.get('to') || null };
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new HttpError(500, 'unexpected incremental result', 'INTERNAL_SERVER_ERROR');
  const { data, errors = [] } = response.body.singleResult;
  if (!data || errors.some((e) => REFUSED.has(String(e.extensions?.code)))) {
    return sendJson(res, 400, { errors });
  }
  const body = toCsv(rows(data as Data));
  const file = [name, division, variables.from, variables.to].filter(Boolean).join('_');
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="statistics_${file}.csv"`,
    'content-length': Buffer.byteLength(body),
    // Cells a policy denied (e.g. a division outside the caller's jurisdiction) are empty; this says how many errors there were.
    'x-hub-field-errors': String(errors.length),
  });
  res.end(body);
}
