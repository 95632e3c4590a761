import { StatisticsReleaseCell } from '../../analytics/releaseEntity';
import { migrations } from '../../../migrations/police';
import type { DepartmentDefinition } from '../../kit/department';
import { flowReference } from '../../analytics/computed';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { AuxiliaryOfficer, CaseParticipant, Incident, isAuxiliaryOfficerId, isIncidentId, PoliceCase } from './entities';
import { isPoliceCaseNo, policeCaseLinks } from './keys';
import { AuxiliaryOfficerResolver, CaseParticipantResolver, IncidentResolver, PersonResolver, PoliceCaseResolver } from './resolvers';
import { seedPolice } from './seed';
import {
  CaseFlow,
  CaseFlowResolver,
  DistrictMonthResolver,
  DistrictResolver,
  policeColumns,
  PoliceStatisticsResolver,
  PoliceYearOnYearResolver,
  refreshPoliceStatistics,
} from './statistics';
import { District, DistrictMonth, policeExtends } from './extends';
import { civilToCriminalSteps, PoliceCivilToCriminalResolver } from './civilToCriminal';

/**
 * Police (公安): incidents (警情), criminal cases (刑事案件, 立案 → 侦查 → 移送审查起诉) with their
 * suspects, victims and witnesses, and the auxiliary officers posted one per village (一村一辅警).
 * Owns `Incident`, `PoliceCase`, `AuxiliaryOfficer` and the computed `CaseFlow`; extends `Person`,
 * `District` and `DistrictMonth`.
 */
export const policeDepartment: DepartmentDefinition = {
  name: 'police',
  // Incident first: the kit seeds the department when this table is empty.
  entities: [Incident, PoliceCase, CaseParticipant, AuxiliaryOfficer, StatisticsReleaseCell],
  migrations,
  resolvers: [
    IncidentResolver,
    PoliceCaseResolver,
    CaseParticipantResolver,
    AuxiliaryOfficerResolver,
    PersonResolver,
    PoliceStatisticsResolver,
    PoliceYearOnYearResolver,
    PoliceCivilToCriminalResolver,
    DistrictResolver,
    DistrictMonthResolver,
    CaseFlowResolver,
  ],
  // Nothing here returns a District or a DistrictMonth; they are reached only through `_entities`.
  orphanedTypes: [District, DistrictMonth],
  caseLinks: policeCaseLinks,
  referenceResolvers: {
    Incident: ownedReference(Incident, 'id', isIncidentId),
    PoliceCase: ownedReference(PoliceCase, 'caseNo', isPoliceCaseNo),
    AuxiliaryOfficer: ownedReference(AuxiliaryOfficer, 'id', isAuxiliaryOfficerId),
    CaseFlow: flowReference(CaseFlow),
    ...stubReferences(policeExtends),
  },
  seed: seedPolice,
  // A participant is named by the case it takes part in.
  auditIds: { CaseParticipant: 'caseNo' },
  statisticsColumns: policeColumns,
  refreshStatistics: refreshPoliceStatistics,
  serviceSteps: civilToCriminalSteps,
};
