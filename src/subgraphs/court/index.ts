import { AppliedEffect } from '../../kit/effects';
import { CourtAppealResolver } from './appeals';
import { CourtEffectsResolver } from './effects';
import { CourtJudgmentResolver } from './judgments';
import { StatisticsReleaseCell } from '../../analytics/releaseEntity';
import { migrations } from '../../../migrations/court';
import type { DepartmentDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { courtCaseLinks, isCourtCaseNo } from './keys';
import { CourtCase, CourtParty, Hearing } from './entities';
import { CourtCaseResolver, CourtPartyResolver, MediationCaseResolver, PersonResolver, ProsecutionCaseResolver } from './resolvers';
import { seedCourt } from './seed';
import { PreLitigationMediationCase } from './preLitigation';
import { PreLitigationResolver } from './preLitigationResolvers';
import {
  CaseFlowResolver,
  courtColumns,
  CourtYearOnYearResolver,
  DisputeFlowResolver,
  DistrictMonthResolver,
  DistrictResolver,
  refreshCourtStatistics,
} from './statistics';
import { CaseFlow, courtExtends, DisputeFlow, District, DistrictMonth } from './extends';

/**
 * The people's courts (法院): criminal trials, civil lawsuits with their pre-litigation mediation,
 * judicial confirmations of mediation agreements and enforcement at the basic courts, and their
 * appeals (二审) at the intermediate court. Owns `CourtCase`; extends
 * `Person`, `District`, `ProsecutionCase`, `MediationCase`, and the statistics entities `DistrictMonth`,
 * `CaseFlow` and `DisputeFlow`.
 */
export const courtDepartment: DepartmentDefinition = {
  name: 'court',
  entities: [AppliedEffect, CourtCase, CourtParty, Hearing, PreLitigationMediationCase, StatisticsReleaseCell],
  migrations,
  resolvers: [
    CourtEffectsResolver,
    CourtJudgmentResolver,
    CourtCaseResolver,
    CourtAppealResolver,
    PreLitigationResolver,
    CourtPartyResolver,
    PersonResolver,
    ProsecutionCaseResolver,
    MediationCaseResolver,
    DistrictResolver,
    DistrictMonthResolver,
    CourtYearOnYearResolver,
    CaseFlowResolver,
    DisputeFlowResolver,
  ],
  // No court field returns these; they are here only to carry the court's statistics.
  orphanedTypes: [District, DistrictMonth, CaseFlow, DisputeFlow],
  caseLinks: courtCaseLinks,
  referenceResolvers: {
    CourtCase: ownedReference(CourtCase, 'caseNo', isCourtCaseNo),
    ...stubReferences(courtExtends),
  },
  seed: seedCourt,
  statisticsColumns: courtColumns,
  refreshStatistics: refreshCourtStatistics,
};
