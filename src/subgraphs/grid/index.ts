import { AppliedEffect } from '../../kit/effects';
import { GridEffectsResolver } from './effects';
import { StatisticsReleaseCell } from '../../analytics/releaseEntity';
import { migrations } from '../../../migrations/grid';
import type { DepartmentDefinition } from '../../kit/department';
import { ownedReference } from '../../kit/references';
import { districtMonthReference, flowReference } from '../../analytics/computed';
import { isPersonKey } from '../../shared/personKey';
import { District, Grid, GridEvent, GridWorker, Person, Volunteer } from './entities';
import { DistrictResolver, GridEventResolver, GridResolver, GridWorkerResolver, PersonResolver, VolunteerResolver } from './resolvers';
import { seedGrid } from './seed';
import { GridHousesResolver, House, HouseResolver, PersonHouseResolver } from './houses';
import { GridKeyPlacesResolver, KeyPlace, KeyPlaceResolver } from './keyPlaces';
import { isObjectId } from './objects';
import { GridSpecialPopulationsResolver, SpecialPopulation, SpecialPopulationResolver } from './specialPopulations';
import { GridVisitsResolver, Visit, VisitResolver } from './visits';
import { VolunteerActivity, VolunteerActivityResolver, VolunteerProject, VolunteerProjectResolver } from './volunteering';
import { centreReference, ComprehensiveCentreResolver } from './centre';
import { GridCentroidResolver, HotspotsResolver } from './hotspots';
import {
  DisputeFlow,
  DisputeFlowResolver,
  DistrictMonth,
  DistrictMonthResidentsResolver,
  DistrictMonthResolver,
  DistrictStatisticsResolver,
  gridColumns,
  GridStatisticsResolver,
  GridYearOnYearResolver,
  refreshGridStatistics,
} from './statistics';

/**
 * Grid governance (网格化 / 综治中心): the population registry (实有人口), divisions, grids and
 * their workers, the events they report, volunteers and their service (volunteering.ts), and the grid worker's objects: houses and
 * rentals, special populations, key places and visits (houses.ts, specialPopulations.ts, keyPlaces.ts, visits.ts). Owns `Person`, `District`, `Grid`, `GridEvent`,
 * and the computed `DistrictMonth` and `DisputeFlow` every department adds its statistics to.
 */
export const gridDepartment: DepartmentDefinition = {
  name: 'grid',
  entities: [
    AppliedEffect,
    Person,
    District,
    Grid,
    GridWorker,
    GridEvent,
    Volunteer,
    House,
    SpecialPopulation,
    KeyPlace,
    Visit,
    VolunteerProject,
    VolunteerActivity,
    StatisticsReleaseCell,
  ],
  migrations,
  resolvers: [
    GridEffectsResolver,
    PersonResolver,
    DistrictResolver,
    GridResolver,
    GridWorkerResolver,
    GridEventResolver,
    VolunteerResolver,
    VolunteerProjectResolver,
    VolunteerActivityResolver,
    HouseResolver,
    GridHousesResolver,
    PersonHouseResolver,
    SpecialPopulationResolver,
    GridSpecialPopulationsResolver,
    KeyPlaceResolver,
    GridKeyPlacesResolver,
    VisitResolver,
    GridVisitsResolver,
    GridStatisticsResolver,
    GridYearOnYearResolver,
    DistrictStatisticsResolver,
    DistrictMonthResolver,
    DistrictMonthResidentsResolver,
    DisputeFlowResolver,
    ComprehensiveCentreResolver,
    GridCentroidResolver,
    HotspotsResolver,
  ],
  referenceResolvers: {
    Person: ownedReference(Person, 'id', isPersonKey),
    District: ownedReference(District, 'code'),
    Grid: ownedReference(Grid, 'code'),
    GridWorker: ownedReference(GridWorker, 'id'),
    GridEvent: ownedReference(GridEvent, 'id'),
    House: ownedReference(House, 'id', isObjectId('house')),
    SpecialPopulation: ownedReference(SpecialPopulation, 'id', isObjectId('specialPopulation')),
    KeyPlace: ownedReference(KeyPlace, 'id', isObjectId('keyPlace')),
    Visit: ownedReference(Visit, 'id', isObjectId('visit')),
    DistrictMonth: districtMonthReference(DistrictMonth),
    DisputeFlow: flowReference(DisputeFlow),
    ComprehensiveCentre: centreReference,
  },
  seed: seedGrid,
  auditIds: { Volunteer: 'id' },
  statisticsColumns: gridColumns,
  refreshStatistics: refreshGridStatistics,
};
