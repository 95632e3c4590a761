import { CITY_TIME_ZONE, type DayRange } from './dayRange';

/*
 * SQL for statistics, built from tagged templates: values always become parameters, only code's own
 * text is spliced in.
 */

/** A piece of SQL with its `?` parameters in order. */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

/** Builds SQL: interpolated fragments are spliced in, any other value becomes a `?` parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof SqlFragment) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1];
  });
  return new SqlFragment(text, params);
}

/** Trusted SQL text (a column name written in code). */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text, []);
}

/** `column` starts with one of the codes: OR-ed prefix matches, so the pattern-ops indexes serve them. */
export function startsWithAny(column: string, codes: readonly string[]): SqlFragment {
  if (!codes.length) return raw('false');
  const parts = codes.map((c) => sql`${raw(column)} like ${`${c}%`}`);
  return new SqlFragment(
    `(${parts.map((p) => p.text).join(' or ')})`,
    parts.flatMap((p) => [...p.params]),
  );
}

/** A `date` column inside the range. */
export function dayWithin(column: string, range: DayRange): SqlFragment {
  const parts = [sql`${raw(column)} is not null`];
  if (range.from) parts.push(sql`${raw(column)} >= ${range.from}::date`);
  if (range.to) parts.push(sql`${raw(column)} <= ${range.to}::date`);
  return new SqlFragment(
    parts.map((p) => p.text).join(' and '),
    parts.flatMap((p) => [...p.params]),
  );
}

/** A `timestamptz` column inside the range's days in city time, compared with the day boundaries so indexes serve it. */
export function momentWithin(column: string, range: DayRange): SqlFragment {
  const parts = [raw('true')];
  if (range.from) parts.push(sql`${raw(column)} >= (${range.from}::date)::timestamp at time zone '${raw(CITY_TIME_ZONE)}'`);
  if (range.to) parts.push(sql`${raw(column)} < (${range.to}::date + 1)::timestamp at time zone '${raw(CITY_TIME_ZONE)}'`);
  return new SqlFragment(
    parts.map((p) => p.text).join(' and '),
    parts.flatMap((p) => [...p.params]),
  );
}

/** The city day of a `timestamptz` column. */
export function cityDay(column: string): SqlFragment {
  return raw(`(${column} at time zone '${CITY_TIME_ZONE}')::date`);
}
