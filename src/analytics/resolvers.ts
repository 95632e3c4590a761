import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../kit/context';
import { DayRangeArgs } from './args';
import type { DistrictMonthKey } from './computed';
import { checkDayRange, type DayRange } from './dayRange';
import { aggregate, type Aggregate } from './figures';
import { statisticsLoader, type StatisticsSource } from './loaders';
import { cellId, type Figures } from './suppression';
import { countedAt } from './yearOnYear';

/** A department's statistics object, as `District` and `DistrictMonth` get it. */
export interface DistrictStatistics<T extends Aggregate, M extends string, R extends object = object> {
  /** The field's name on both types, e.g. `policeStatistics`. */
  field: string;
  type: new () => T;
  source: StatisticsSource<M>;
  /** The department's `District` (owned or extended) and the description of its field there (over an optional range). */
  district: { type: Function; description: string };
  /** The department's `DistrictMonth` and the description of its field there (the month's days of the series' range). */
  month: { type: Function; description: string };
  /**
   * The object from a division's figures; by default, the figures as they are. May read more (e.g.
   * the residents a rate divides by), or the owner's counts on the `District` or `DistrictMonth`
   * it was asked on (`on`) that the field `requires`.
   */
  build?: (code: string, figures: Figures<M>, ctx: SubgraphContext, on: R) => T | Promise<T>;
  /** The owner's fields of `District` and `DistrictMonth` the field `@requires` (external on the department's stubs), e.g. `residents`. */
  requires?: string;
}

/**
 * The resolver classes of a department's statistics field on `District` (with the range arguments)
 * and on `DistrictMonth`: one declaration for what every department otherwise writes twice. List
 * them with the department's resolvers; they count through the statistic's loader.
 */
export function districtStatisticsResolvers<T extends Aggregate, M extends string, R extends object = object>(
  declared: DistrictStatistics<T, M, R>,
): [Function, Function] {
  const build = declared.build ?? ((_code: string, figures: Figures<M>) => aggregate(declared.type, figures));
  const figuresOf = async (ctx: SubgraphContext, on: R, range: DayRange, code: string, month: string | null) =>
    countedAt(await build(code, await statisticsLoader(ctx, declared.source, range).load(cellId(code, month)), ctx, on), { code, range, month });
  const directives = declared.requires ? [`@requires(fields: "${declared.requires}")`] : [];
  return [
    fieldResolver(
      declared.field,
      declared.type,
      declared.district,
      true,
      directives,
      (district: R & { code: string }, { from, to }: DayRangeArgs, ctx: SubgraphContext) =>
        figuresOf(ctx, district, checkDayRange(from, to), district.code, null),
    ),
    fieldResolver(declared.field, declared.type, declared.month, false, directives, (month: R & DistrictMonthKey, ctx: SubgraphContext) =>
      figuresOf(ctx, month, month.range, month.code, month.month),
    ),
  ];
}

/** A resolver class with one field resolver, decorated as a hand-written `@Resolver` class would be. */
function fieldResolver(
  field: string,
  returns: Function,
  on: { type: Function; description: string },
  withRange: boolean,
  directives: readonly string[],
  resolve: (...args: never[]) => Promise<Aggregate>,
): Function {
  const name = `${on.type.name}${field[0].toUpperCase()}${field.slice(1)}Resolver`;
  const type = { [name]: class {} }[name];
  Object.defineProperty(type.prototype, field, { value: resolve, writable: true, configurable: true });
  // Parameters right to left, then the method, then the class: the order TypeScript applies decorators in.
  if (withRange) {
    Ctx()(type.prototype, field, 2);
    Args(() => DayRangeArgs)(type.prototype, field, 1);
  } else Ctx()(type.prototype, field, 1);
  Root()(type.prototype, field, 0);
  for (const sdl of directives) Directive(sdl)(type.prototype, field);
  FieldResolver(() => returns, { nullable: true, description: on.description })(type.prototype, field, Object.getOwnPropertyDescriptor(type.prototype, field)!);
  Resolver(() => on.type)(type);
  return type;
}
