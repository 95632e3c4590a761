import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { startsWithCode } from '../../kit/scope';
import { badInput } from '../../shared/errors';
import { District } from './stubs';

@ObjectType({ description: 'Police figures of a district or township over a date range (both ends included).' })
export class PoliceStatistics {
  @Field(() => Int, { nullable: true, description: 'Incidents (警情) reported in the range.' })
  incidents!: number;

  @Field(() => Int, { nullable: true, description: 'Criminal cases filed (立案) in the range.' })
  casesFiled!: number;

  @Field(() => Int, { nullable: true, description: 'Cases transferred for prosecution review (移送审查起诉) in the range.' })
  casesTransferred!: number;
}

/** Huludao keeps Beijing time: a day of the range is a day there, whatever the server's zone. */
const CITY_TIME_ZONE = 'Asia/Shanghai';

interface DayRange {
  from: string | null;
  to: string | null;
}

function checkDay(argument: string, value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  // Date.parse rolls 2025-02-30 over to March: a real day prints back as itself.
  const valid = !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
  if (!valid) throw badInput(argument, 'expected a date YYYY-MM-DD');
  return value;
}

/** Validates optional `from`/`to` dates (YYYY-MM-DD, both included). */
export function checkDayRange(from: string | null | undefined, to: string | null | undefined, prefix = ''): DayRange {
  const range = { from: from ? checkDay(`${prefix}from`, from) : null, to: to ? checkDay(`${prefix}to`, to) : null };
  if (range.from && range.to && range.from > range.to) throw badInput(`${prefix}from`, `must not be after \`${prefix}to\``);
  return range;
}

interface Condition {
  sql: string;
  params: string[];
}

/** SQL keeping a nullable `date` column inside the range (a null date is never inside). */
function dayCondition(column: string, range: DayRange): Condition {
  const parts = [`${column} is not null`];
  const params: string[] = [];
  if (range.from) {
    parts.push(`${column} >= ?::date`);
    params.push(range.from);
  }
  if (range.to) {
    parts.push(`${column} <= ?::date`);
    params.push(range.to);
  }
  return { sql: parts.join(' and '), params };
}

/** SQL keeping a `timestamptz` column inside the range's days in city time (compared with the day boundaries, so indexes serve it). */
function momentCondition(column: string, range: DayRange): Condition {
  const parts = ['true'];
  const params: string[] = [];
  if (range.from) {
    parts.push(`${column} >= (?::date)::timestamp at time zone '${CITY_TIME_ZONE}'`);
    params.push(range.from);
  }
  if (range.to) {
    parts.push(`${column} < (?::date + 1)::timestamp at time zone '${CITY_TIME_ZONE}'`);
    params.push(range.to);
  }
  return { sql: parts.join(' and '), params };
}

/** A district (6 digits) or township (9 digits) code: what a `District` representation must carry. */
export function isDivisionCode(value: string): boolean {
  return /^\d{6}(\d{3})?$/.test(value);
}

/*
 * Division codes go to SQL as one comma-joined parameter: they are digits only (isDivisionCode,
 * checked by the District reference resolver), and the driver would expand an array into a list.
 * The list comes first in every statement, so its parameter is always the first one.
 */
const DIVISIONS = `with d(code) as (select unnest(string_to_array(?, ',')))`;

function countsByDivision<V>(ctx: SubgraphContext, name: string, sql: string, params: string[], read: (row: Record<string, string> | undefined) => V) {
  return ctx.loaders.custom<string, V>(name, async (codes) => {
    const rows = await ctx.em.getConnection().execute<Array<Record<string, string>>>(sql, [codes.join(','), ...params]);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return codes.map((code) => read(byCode.get(code)));
  });
}

@Resolver(() => District)
export class DistrictResolver {
  @FieldResolver(() => PoliceStatistics, {
    nullable: true,
    description: 'Incidents reported, cases filed and cases transferred for prosecution in the district or township, between `from` and `to` (YYYY-MM-DD, both included, optional).',
  })
  async policeStatistics(
    @Root() district: District,
    @Arg('from', () => String, { nullable: true }) from: string | undefined,
    @Arg('to', () => String, { nullable: true }) to: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PoliceStatistics> {
    const range = checkDayRange(from, to);
    const rangeKey = `${range.from ?? ''}..${range.to ?? ''}`;
    const reported = momentCondition('i.reported_at', range);
    const filed = dayCondition('c.filed_on', range);
    const transferred = dayCondition('c.transferred_on', range);
    const [incidents, cases] = await Promise.all([
      countsByDivision(ctx, `police.incidentCounts:${rangeKey}`,
        `${DIVISIONS} select d.code, count(*) as n from d join police.incident i on ${startsWithCode('i.grid_code', 'd.code')} where ${reported.sql} group by d.code`,
        reported.params,
        (row) => Number(row?.n ?? 0)).load(district.code),
      countsByDivision(ctx, `police.caseCounts:${rangeKey}`,
        `${DIVISIONS} select d.code, count(*) filter (where ${filed.sql}) as filed, count(*) filter (where ${transferred.sql}) as transferred
         from d join police.police_case c on ${startsWithCode('c.grid_code', 'd.code')} group by d.code`,
        [...filed.params, ...transferred.params],
        (row) => ({ filed: Number(row?.filed ?? 0), transferred: Number(row?.transferred ?? 0) })).load(district.code),
    ]);
    return { incidents, casesFiled: cases.filed, casesTransferred: cases.transferred };
  }
}
