import { raw, type FilterQuery } from '@mikro-orm/core';
import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import type { DayRange } from './dates';
import { CommunityCorrection, CorrectionStatus, LegalAidCase, MediationCase } from './entities';

@ObjectType({ description: 'The justice bureau\'s figures for a district or township. Judicial confirmations are counted by the court.' })
export class JusticeStatistics {
  /** The district (6 digits) or township (9 digits) the figures are for. */
  code!: string;
  range!: DayRange;
}

interface MediationCounts {
  cases: number;
  succeeded: number;
  closed: number;
}

const isDistrict = (code: string) => code.length === 6;
const rangeName = ({ from, to }: DayRange) => `${from ?? ''}..${to ?? ''}`;

/** Day-range conditions on one date column, both ends inclusive. */
function within<T>(prop: string, { from, to }: DayRange): FilterQuery<T>[] {
  const where: Record<string, unknown>[] = [];
  if (from) where.push({ [prop]: { $gte: from } });
  if (to) where.push({ [prop]: { $lte: to } });
  return where as FilterQuery<T>[];
}

/**
 * Mediation counts of every district and township of the batch in one statement: grouping sets
 * count by district and by township at once, and each code takes the row of its own level.
 */
function mediationCounts(ctx: SubgraphContext, range: DayRange) {
  return ctx.loaders.custom<string, MediationCounts>(`justice.mediationStatistics:${rangeName(range)}`, async (codes) => {
    const rows: Array<{ code: string; cases: string; succeeded: string; closed: string }> = await ctx.em
      .createQueryBuilder(MediationCase)
      .select([
        raw('coalesce(district_code, township_code) as code'),
        raw('count(*) as cases'),
        raw(`count(*) filter (where outcome = 'SUCCEEDED') as succeeded`),
        raw(`count(*) filter (where outcome <> 'IN_PROGRESS') as closed`),
      ])
      .where({
        $and: [
          { $or: [{ districtCode: { $in: codes.filter(isDistrict) } }, { townshipCode: { $in: codes.filter((c) => !isDistrict(c)) } }] },
          ...within<MediationCase>('startedOn', range),
        ],
      })
      .groupBy(raw('grouping sets ((district_code), (township_code))'))
      .execute('all', false);
    const byCode = new Map(rows.map((r) => [r.code, { cases: Number(r.cases), succeeded: Number(r.succeeded), closed: Number(r.closed) }]));
    return codes.map((c) => byCode.get(c) ?? { cases: 0, succeeded: 0, closed: 0 });
  });
}

/**
 * Corrections and legal aid are recorded per district only (where the sentence is served, where
 * aid was applied for), so these counts are batched over 6-digit codes; a township gets null.
 */
function districtCounts(ctx: SubgraphContext, name: string, batch: (districtCodes: string[]) => Promise<Array<{ code: string; n: string }>>) {
  return ctx.loaders.custom<string, number>(`justice.${name}`, async (codes) => {
    const rows = await batch([...codes]);
    const byCode = new Map(rows.map((r) => [r.code, Number(r.n)]));
    return codes.map((c) => byCode.get(c) ?? 0);
  });
}

@Resolver(() => JusticeStatistics)
export class JusticeStatisticsResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'People\'s mediation cases started in the range.' })
  async mediationCases(@Root() s: JusticeStatistics, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await mediationCounts(ctx, s.range).load(s.code)).cases;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Of those, the ones that ended in an agreement.' })
  async mediationsSucceeded(@Root() s: JusticeStatistics, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await mediationCounts(ctx, s.range).load(s.code)).succeeded;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Succeeded ÷ closed (succeeded or failed) among those cases; null when none is closed.' })
  async successRate(@Root() s: JusticeStatistics, @Ctx() ctx: SubgraphContext): Promise<number | null> {
    const { succeeded, closed } = await mediationCounts(ctx, s.range).load(s.code);
    return closed === 0 ? null : succeeded / closed;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'People whose community correction overlaps the range; without a range, those under correction now. Null for a township (recorded per district).',
  })
  peopleUnderCorrection(@Root() s: JusticeStatistics, @Ctx() ctx: SubgraphContext): Promise<number> | null {
    if (!isDistrict(s.code)) return null;
    const { range } = s;
    const active: FilterQuery<CommunityCorrection>[] = range.from || range.to
      ? [...within<CommunityCorrection>('endOn', { from: range.from, to: null }), ...within<CommunityCorrection>('startOn', { from: null, to: range.to })]
      : [{ status: CorrectionStatus.ACTIVE }];
    return districtCounts(ctx, `correctionStatistics:${rangeName(range)}`, (codes) =>
      ctx.em
        .createQueryBuilder(CommunityCorrection)
        .select([raw('district_code as code'), raw('count(distinct person_id) as n')])
        .where({ $and: [{ districtCode: { $in: codes } }, ...active] })
        .groupBy('districtCode')
        .execute('all', false),
    ).load(s.code);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Legal aid applications made in the range. Null for a township (recorded per district).' })
  legalAidCases(@Root() s: JusticeStatistics, @Ctx() ctx: SubgraphContext): Promise<number> | null {
    if (!isDistrict(s.code)) return null;
    return districtCounts(ctx, `legalAidStatistics:${rangeName(s.range)}`, (codes) =>
      ctx.em
        .createQueryBuilder(LegalAidCase)
        .select([raw('district_code as code'), raw('count(*) as n')])
        .where({ $and: [{ districtCode: { $in: codes } }, ...within<LegalAidCase>('appliedOn', s.range)] })
        .groupBy('districtCode')
        .execute('all', false),
    ).load(s.code);
  }
}
