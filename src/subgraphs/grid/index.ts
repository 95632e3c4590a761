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
import { centreReference, ComprehensiveCentreResolver } from './centre';
import {
  DisputeFlow,
  DisputeFlowResolver,
  DistrictMonth,
  DistrictMonthResolver,
  DistrictStatisticsResolver,
  gridColumns,
  GridStatisticsResolver,
  refreshGridStatistics,
} from './statistics';

/**
 * Grid governance (网格化 / 综治中心): the population registry (实有人口), divisions, grids and
 * their workers, the events they report, and volunteers. Owns `Person`, `District`, `Grid`, `GridEvent`,
 * and the computed `DistrictMonth` and `DisputeFlow` every department adds its statistics to.
 */
export const gridDepartment: DepartmentDefinition = {
  name: 'grid',
  entities: [AppliedEffect, Person, District, Grid, GridWorker, GridEvent, Volunteer, StatisticsReleaseCell],
  migrations,
  resolvers: [
    GridEffectsResolver,
    PersonResolver,
    DistrictResolver,
    GridResolver,
    GridWorkerResolver,
    GridEventResolver,
    VolunteerResolver,
    GridStatisticsResolver,
    DistrictStatisticsResolver,
    DistrictMonthResolver,
    DisputeFlowResolver,
    ComprehensiveCentreResolver,
  ],
  referenceResolvers: {
    Person: ownedReference(Person, 'id', isPersonKey),
    District: ownedReference(District, 'code'),
    Grid: ownedReference(Grid, 'code'),
    GridWorker: ownedReference(GridWorker, 'id'),
    GridEvent: ownedReference(GridEvent, 'id'),
    DistrictMonth: districtMonthReference(DistrictMonth),
    DisputeFlow: flowReference(DisputeFlow),
    ComprehensiveCentre: centreReference,
  },
  seed: seedGrid,
  auditIds: { Volunteer: 'id' },
  statisticsColumns: gridColumns,
  refreshStatistics: refreshGridStatistics,
};
