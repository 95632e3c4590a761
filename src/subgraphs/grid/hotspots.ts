import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isJurisdictionPrefix, jurisdictionPrefix } from '../../auth/viewer';
import { checkDayRange, type DayRange } from '../../analytics/dayRange';
import { momentWithin, raw, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import { badInput } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { DivisionLevel, Grid, GridEventKind } from './entities';
import { requireDivision } from './resolvers';

/*
 * Hotspots (issue #19): a division's grid events counted per grid, as a GeoJSON FeatureCollection
 * (RFC 7946) a map library draws as it comes. Working figures for the agencies that handle the
 * events, inside their jurisdiction (schema/policy.yaml, `GridHotspots`); analysts read releases,
 * which hold no grid-level cells (docs/analytics.md, "Hotspots").
 */

/** The longest range one map covers: a year, leap day included. */
const MAX_DAYS = 366;

@ObjectType({ description: 'A point in WGS-84 degrees (5 decimals, about 1 m).' })
export class GeoPoint {
  @Field(() => Float, { description: 'Degrees east.' })
  longitude!: number;

  @Field(() => Float, { description: 'Degrees north.' })
  latitude!: number;
}

@ObjectType({ description: 'A GeoJSON Point geometry (RFC 7946 §3.1.2).' })
export class PointGeometry {
  @Field(() => String, { description: 'Always `Point`.' })
  type!: 'Point';

  @Field(() => [Float], { description: '[longitude, latitude] in WGS-84 degrees, in that order as GeoJSON has it.' })
  coordinates!: [number, number];
}

@ObjectType({ description: "A hotspot feature's properties: the grid and its events in the range." })
export class HotspotProperties {
  @Field(() => ID, { description: 'The grid (12 digits).' })
  gridCode!: string;

  @Field({ description: "The grid's name." })
  name!: string;

  @Field(() => Int, { description: 'Grid events reported in the grid over the range (of the kind asked, if one was).' })
  events!: number;
}

@ObjectType({ description: 'A GeoJSON Feature (RFC 7946 §3.2): one grid at its centroid.' })
export class HotspotFeature {
  @Field(() => String, { description: 'Always `Feature`.' })
  type!: 'Feature';

  @Field(() => PointGeometry, { nullable: true, description: "The grid's centroid; null for a grid not yet mapped (GeoJSON's unlocated feature)." })
  geometry!: PointGeometry | null;

  @Field(() => HotspotProperties, { description: 'The grid and its count.' })
  properties!: HotspotProperties;
}

@ObjectType({
  description:
    'Grid events per grid of a district or township over a range, as a GeoJSON FeatureCollection (RFC 7946 §3.3): one feature per grid, zeros included, in grid-code order.',
})
export class GridHotspots {
  @Field(() => String, { description: 'Always `FeatureCollection`.' })
  type!: 'FeatureCollection';

  @Field({ description: 'The district (6 digits) or township (9 digits) mapped.' })
  divisionCode!: string;

  /** The checked range and kind the features count, for the `features` resolver. */
  range!: DayRange;
  kind!: GridEventKind | null;
}

interface GridCount {
  code: string;
  name: string;
  longitude: string | null;
  latitude: string | null;
  events: string;
}

/** `from`..`to` as days, both given, in order and at most a year apart. */
function checkHotspotRange(from: string, to: string): DayRange {
  const range = checkDayRange(from, to);
  const days = (Date.parse(range.to!) - Date.parse(range.from!)) / 86_400_000 + 1;
  if (days > MAX_DAYS) throw badInput('to', `a hotspot map covers at most ${MAX_DAYS} days (${days} asked)`);
  return range;
}

@Resolver(() => Grid)
export class GridCentroidResolver {
  @FieldResolver(() => GeoPoint, { nullable: true, description: "The grid's centroid (WGS-84); null for a grid not yet mapped." })
  centroid(@Root() grid: Grid): GeoPoint | null {
    if (grid.longitude === null || grid.latitude === null) return null;
    return { longitude: grid.longitude, latitude: grid.latitude };
  }
}

@Resolver(() => GridHotspots)
export class HotspotsResolver {
  @Query(() => GridHotspots, {
    nullable: true,
    description:
      'Hotspots: the grid events of each grid of a district or township between `from` and `to` (YYYY-MM-DD, both included, at most 366 days), of one kind or all, as a GeoJSON FeatureCollection.',
  })
  async hotspots(
    @Arg('divisionCode', { description: 'A district (6 digits) or township (9 digits) code.' }) divisionCode: string,
    @Arg('from', () => DateScalar, { description: 'First day of the range, YYYY-MM-DD (inclusive).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day of the range, YYYY-MM-DD (inclusive).' }) to: string,
    @Arg('kind', () => GridEventKind, { nullable: true, description: 'Only events of this kind; all kinds when omitted.' }) kind: GridEventKind | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<GridHotspots> {
    const division = await requireDivision(ctx, 'divisionCode', divisionCode);
    // The whole city is too many grids for one map; its districts are not.
    if (division.level === DivisionLevel.CITY) throw badInput('divisionCode', 'map a district or township of the city, not the city as a whole');
    const range = checkHotspotRange(from, to);
    return Object.assign(new GridHotspots(), { type: 'FeatureCollection', divisionCode: division.code, range, kind: kind ?? null });
  }

  @FieldResolver(() => [HotspotFeature], {
    nullable: true,
    description: "One feature per grid of the division inside the viewer's jurisdiction (a grid worker: their own grid), zeros included.",
  })
  async features(@Root() map: GridHotspots, @Ctx() ctx: SubgraphContext): Promise<HotspotFeature[]> {
    // Limited in SQL to the viewer's jurisdiction, as every list of a scoped record is: a grid
    // worker's is their grid, an officer's covers the whole division the policy let through.
    const prefixes = ctx.viewer.jurisdiction.map(jurisdictionPrefix).filter(isJurisdictionPrefix);
    const kind = map.kind ? sql`and e.kind = ${map.kind}` : raw('');
    // One statement however many grids: the events joined to their grids and counted per grid.
    const query = sql`
      select g.code, g.name, g.longitude, g.latitude, count(e.id) as events
      from grid.grid g
      left join grid.grid_event e on e.grid_code = g.code and ${momentWithin('e.reported_at', map.range)} ${kind}
      where g.code like ${`${map.divisionCode}%`} and ${startsWithAny('g.code', prefixes)}
      group by g.code
      order by g.code`;
    const rows = await ctx.em.getConnection().execute<GridCount[]>(query.text, [...query.params]);
    return rows.map((r) => ({
      type: 'Feature',
      geometry: r.longitude === null || r.latitude === null ? null : { type: 'Point', coordinates: [Number(r.longitude), Number(r.latitude)] },
      properties: { gridCode: r.code, name: r.name, events: Number(r.events) },
    }));
  }
}
