import type { AlertThresholds } from '../shared/config';

/** What oversight (监督, 纪检监察/检察监督) is alerted to in the audit trail. */
export const ALERT_KINDS = ['bulkExtraction', 'outsideJurisdiction', 'breakGlass', 'sealedAccess', 'oddHours', 'repeatedReads'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** One alert: an officer (and for repeated reads, a person), how many looks, when, and the rows behind it. */
export interface AccessAlertRow {
  kind: AlertKind;
  subject: string;
  agency: string;
  entityId: string | null;
  count: number;
  firstAt: Date;
  lastAt: Date;
  /** The newest rows behind the alert (their `seq`), at most `ROWS_PER_ALERT`. */
  seqs: string[];
}

export const ROWS_PER_ALERT = 50;

type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Each kind as one grouped query over the period's rows: `key` names the group, `having` the
 * threshold; `$1`/`$2` are the period, `$3` the threshold. Every row carries its `seq`, so an
 * alert links to the rows behind it.
 */
const KINDS: Record<AlertKind, { where: string; group: string; count: string }> = {
  bulkExtraction: { where: `field = '*' and entity_type = 'Person'`, group: `subject, agency, date_trunc('hour', at)`, count: 'count(distinct entity_id)' },
  outsideJurisdiction: { where: `field <> '*' and reason like '%outside your jurisdiction%'`, group: 'subject, agency', count: 'count(distinct entity_id)' },
  breakGlass: { where: 'break_glass', group: 'subject, agency', count: 'count(*)' },
  sealedAccess: { where: `sealed and field <> '*' and decision <> 'deny'`, group: 'subject, agency', count: 'count(*)' },
  oddHours: {
    where: `field = '*' and extract(hour from at at time zone $5) >= $6 and extract(hour from at at time zone $5) < $7`,
    group: 'subject, agency',
    count: 'count(distinct request_id)',
  },
  repeatedReads: { where: `field = '*' and entity_type = 'Person'`, group: 'subject, agency, entity_id', count: 'count(distinct request_id)' },
};

function threshold(kind: AlertKind, t: AlertThresholds): number {
  switch (kind) {
    case 'bulkExtraction':
      return t.bulkPeoplePerHour;
    case 'outsideJurisdiction':
      return t.outsideJurisdiction;
    case 'repeatedReads':
      return t.repeatedReads;
    default:
      return 1;
  }
}

/** The alerts of the period `[from, to)`, most looks first. */
export async function findAlerts(query: Query, from: Date, to: Date, t: AlertThresholds): Promise<AccessAlertRow[]> {
  const alerts: AccessAlertRow[] = [];
  for (const kind of ALERT_KINDS) {
    const k = KINDS[kind];
    const entity = k.group.includes('entity_id') ? 'entity_id' : 'null::text';
    const params: unknown[] = [from, to, threshold(kind, t), ROWS_PER_ALERT];
    if (kind === 'oddHours') params.push(t.oddHours.timeZone, t.oddHours.from, t.oddHours.to);
    const rows = await query(
      `select subject, agency, ${entity} as entity_id, ${k.count}::int as count, min(at) as first_at, max(at) as last_at,
              (array_agg(seq::text order by seq desc))[1:$4] as seqs
       from audit.access_log where at >= $1 and at < $2 and ${k.where}
       group by ${k.group} having ${k.count} >= $3`,
      params,
    );
    for (const r of rows) {
      alerts.push({
        kind,
        subject: r.subject as string,
        agency: r.agency as string,
        entityId: r.entity_id as string | null,
        count: r.count as number,
        firstAt: new Date(r.first_at as string | Date),
        lastAt: new Date(r.last_at as string | Date),
        seqs: r.seqs as string[],
      });
    }
  }
  return alerts.sort((a, b) => b.count - a.count);
}
