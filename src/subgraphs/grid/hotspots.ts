import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isJurisdictionPrefix, jurisdictionPrefix } from '../../auth/viewer';
import { checkDayRange, type DayRange } from '../../analytics/dayRange';
import { Aggregate } from '../../analytics/figures';
import { releasedFigure, type StatisticsMeasure } from '../../analytics/loaders';
import { readRelease, releasedPeriodsOf, type StoredRelease } from '../../analytics/releaseStore';
import { momentWithin, raw, sql, startsWithAny } from '../../analytics/sql';
import type { SubgraphContext } from '../../kit/context';
import { badInput } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { DivisionLevel, Grid, GridEventKind } from './entities';
import { requireDivision } from './resolvers';
import { GRID_STATISTICS, type GridMeasure } from './statistics';

/*
 * Hotspots (issue #19): a division's grid events counted per grid, as a GeoJSON FeatureCollection
 * (RFC 7946) a map library draws as it comes. Working figures for the agencies that handle the
 * events, inside their jurisdiction, counted per request; for the aggregate-only agencies
 * (analysts), the grid cells of grid's stored release — grid × calendar year, decided and audited
 * with the rest of its hierarchy (township = Σ its grids) — never counted per request
 * (schema/policy.yaml, `GridHotspots`; docs/analytics.md, "Hotspots").
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
export class HotspotProperties extends Aggregate {
  @Field(() => ID, { description: 'The grid (12 digits).' })
  gridCode!: string;

  @Field({ description: "The grid's name." })
  name!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "Grid events reported in the grid over the range (of the kind asked, if one was). For the aggregate-only agencies, the grid's released cell: null when withheld, and then named in `suppressedFields` (never 0).",
  })
  events!: number | null;
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
  /** For the aggregate-only agencies: the county's stored release and the released periods the range is the sum of. */
  released!: { release: StoredRelease; periods: string[] } | null;
}

/**
 * The release's measure of each kind a hotspot map serves to the aggregate-only agencies. The
 * four kinds add up to the events reported: with all of them and the total released, any one
 * kind would be the total less the other three; two kinds and the total give the other two as one
 * sum, which the release protects as a difference of its measures (`besides` on `hazards`).
 */
const RELEASED_KINDS = new Map<GridEventKind | null, GridMeasure>([
  [null, 'eventsReported'],
  [GridEventKind.DISPUTE, 'disputes'],
  [GridEventKind.HAZARD, 'hazards'],
]);

function releasedMeasure(kind: GridEventKind | null): StatisticsMeasure<GridMeasure> {
  const name = RELEASED_KINDS.get(kind);
  if (!name) throw badInput('kind', 'the aggregate-only agencies get hotspots of all kinds, DISPUTE or HAZARD (the kinds grid releases per grid)');
  return GRID_STATISTICS.measures.find((m) => m.name === name)!;
}

interface GridCount {
  code: string;
  name: string;
  longitude: string | null;
  latitude: string | null;
  events: string | null;
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
    let released: GridHotspots['released'] = null;
    if (ctx.policy.suppressionFor(ctx.viewer.agency) !== null) {
      // Whole released periods of a grid only: then every feature is one released cell (or a sum of them).
      const measure = releasedMeasure(kind ?? null);
      const release = await readRelease(ctx.em, GRID_STATISTICS, [division.code.slice(0, 6)], { grids: true });
      released = { release, periods: releasedPeriodsOf(range, release.months, measure, 'grid') };
    }
    return Object.assign(new GridHotspots(), { type: 'FeatureCollection', divisionCode: division.code, range, kind: kind ?? null, released });
  }

  @FieldResolver(() => [HotspotFeature], {
    nullable: true,
    description: "One feature per grid of the division inside the viewer's jurisdiction (a grid worker: their own grid), zeros included.",
  })
  async features(@Root() map: GridHotspots, @Ctx() ctx: SubgraphContext): Promise<HotspotFeature[]> {
    // Limited in SQL to the viewer's jurisdiction, as every list of a scoped record is: a grid
    // worker's is their grid, an officer's covers the whole division the policy let through.
    const prefixes = ctx.viewer.jurisdiction.map(jurisdictionPrefix).filter(isJurisdictionPrefix);
    const where = sql`g.code like ${`${map.divisionCode}%`} and ${startsWithAny('g.code', prefixes)}`;
    const kind = map.kind ? sql`and e.kind = ${map.kind}` : raw('');
    // One statement however many grids: the events joined to their grids and counted per grid; the grids alone for a released map.
    const query = map.released
      ? sql`select g.code, g.name, g.longitude, g.latitude, null as events from grid.grid g where ${where} order by g.code`
      : sql`
      select g.code, g.name, g.longitude, g.latitude, count(e.id) as events
      from grid.grid g
      left join grid.grid_event e on e.grid_code = g.code and ${momentWithin('e.reported_at', map.range)} ${kind}
      where ${where}
      group by g.code
      order by g.code`;
    const rows = await ctx.em.getConnection().execute<GridCount[]>(query.text, [...query.params]);
    const released = map.released;
    const measure = released ? releasedMeasure(map.kind) : null;
    return rows.map((r) => {
      const events = released && measure ? releasedFigure(released.release, measure, r.code, released.periods) : Number(r.events);
      return {
        type: 'Feature',
        geometry: r.longitude === null || r.latitude === null ? null : { type: 'Point', coordinates: [Number(r.longitude), Number(r.latitude)] },
        properties: Object.assign(new HotspotProperties(), { gridCode: r.code, name: r.name, events, suppressedFields: events === null ? ['events'] : [] }),
      };
    });
  }
}
