import { Field, Float, Int, ObjectType } from 'type-graphql';
import { columnsOf } from '../../analytics/columns';
import { aggregate, Aggregate, mergeFigures, ratio } from '../../analytics/figures';
import type { StatisticsSource } from '../../analytics/loaders';
import { releaseRefresher } from '../../analytics/releaseStore';
import { districtStatisticsResolvers } from '../../analytics/resolvers';
import { dayWithin, sql, startsWithAny } from '../../analytics/sql';
import type { Figures } from '../../analytics/suppression';
import { DISTRICTS } from '../../shared/huludao';
import type { DepartmentColumns } from '../../shared/statisticsColumns';
import { District, DistrictMonth } from './extends';

/*
 * The petition bureau's (信访局) statistics, counted in its own system's tables (xf.xf_case) as
 * they are, read-only; the release analysts read lives in the hub's own schema for the bureau
 * (`petition.statistics_release`, migrations/petition), since the hub writes nothing into xf.
 */

@ObjectType({ description: "Petition figures (信访) of a district or township over a date range (both ends included), from the bureau's own system." })
export class PetitionStatistics extends Aggregate {
  @Field(() => Int, { nullable: true, description: 'Petitions (信访件, 批次) registered in the range, by the day they came in (xfrq).' })
  petitions!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Repeat petitions (重复信访) in the range: petitions whose petitioner (ryid) had registered another petition in the 12 months before (on any matter: the bureau's system records none).",
  })
  repeatPetitions!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Repeat-petition rate (重复信访率): `repeatPetitions` ÷ `petitions`; null when either is withheld (then named) or there are no petitions.',
  })
  repeatPetitionRate!: number | null;
}

type PetitionMeasure = 'petitions' | 'repeatPetitions';

/**
 * How far back an earlier petition makes one a repeat: the project's definition (docs/analytics.md,
 * "Repeat petitions"), not a statute's.
 */
const REPEAT_WINDOW = '12 months';

/** The city's counties: a petition is placed in one only by its own grid code, never guessed. */
const COUNTIES = DISTRICTS.map((d) => d.code);

/**
 * One row per petition (petitions) and per repeat petition (repeatPetitions), on the day it came in. Placed by `wgdm`: its first 6 digits when
 * they are a county of the city, its first 9 when it is a township's or grid's code (9 or 12
 * digits), else no township (the county's unattributed part, as other departments' records kept
 * per county). A petition whose `wgdm` names no county of the city is in no cell.
 */
const PETITION_STATISTICS: StatisticsSource<PetitionMeasure> = {
  name: 'petition',
  schema: 'petition',
  measures: [
    { name: 'petitions', overTime: true },
    { name: 'repeatPetitions', overTime: true, atMost: 'petitions' },
  ],
  events: (counties, range) => sql`
    with c as (
      select substr(c.wgdm, 1, 6) as county,
        case when length(c.wgdm) in (9, 12) and c.wgdm ~ '^[0-9]+$' then substr(c.wgdm, 1, 9) end as township,
        c.xfrq as day,
        -- The earlier petition may lie before the range: the whole table is searched (xf_case_ryid).
        exists (select from xf.xf_case p where p.ryid = c.ryid and p.xfrq >= c.xfrq - ${REPEAT_WINDOW}::interval
          and (p.xfrq, p.xfjbh) < (c.xfrq, c.xfjbh)) as repeat
      from xf.xf_case c
      where substr(c.wgdm, 1, 6) in (select json_array_elements_text(${JSON.stringify(COUNTIES)}::json))
        and ${startsWithAny('c.wgdm', counties)} and ${dayWithin('c.xfrq', range)})
    select county, township, day, 'petitions' as measure, null::text as subject from c
    union all
    select county, township, day, 'repeatPetitions', null from c where repeat`,
};

/** The statistics object: the counts, and the repeat-petition rate of the two counts this viewer gets. */
function petitionStatistics(_code: string, figures: Figures<PetitionMeasure>): PetitionStatistics {
  return aggregate(PetitionStatistics, mergeFigures(figures, ratio(figures.values.repeatPetitions, figures.values.petitions, 'repeatPetitionRate')));
}

export const [PetitionStatisticsResolver, DistrictMonthResolver] = districtStatisticsResolvers({
  field: 'petitionStatistics',
  type: PetitionStatistics,
  source: PETITION_STATISTICS,
  district: {
    type: District,
    description: 'Petitions and repeat petitions (信访, 重复信访) in the district or township, between `from` and `to` (YYYY-MM-DD, both included, optional).',
  },
  month: { type: DistrictMonth, description: "Petition figures of the month's days within the range." },
  build: petitionStatistics,
});

/** The petition bureau's columns in the statistics export. */
export const petitionColumns: DepartmentColumns = {
  districts: columnsOf(PetitionStatistics, 'petitionStatistics', '信访', {
    petitions: '信访件',
    repeatPetitions: '重复信访件',
    repeatPetitionRate: '重复信访率',
  }),
};

/** Decides and stores the petition bureau's statistics release (in the hub's schema for it). */
export const refreshPetitionStatistics = releaseRefresher(PETITION_STATISTICS);
