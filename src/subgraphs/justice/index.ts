import { AppliedEffect } from '../../kit/effects';
import { JusticeEffectsResolver } from './effects';
import { StatisticsReleaseCell } from '../../analytics/releaseEntity';
import { migrations } from '../../../migrations/justice';
import type { DepartmentDefinition } from '../../kit/department';
import { justiceCaseLinks } from './keys';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import {
  CommunityCorrection,
  CorrectionEvent,
  CorrectionGroupMember,
  LegalAidCase,
  MediationCase,
  MediationParty,
  MediationPoint,
  Mediator,
  PreSentenceAssessment,
} from './entities';
import { CorrectionFileResolver, PreSentenceAssessmentResolver } from './corrections';
import {
  CommunityCorrectionResolver,
  CourtCaseJusticeResolver,
  GridEventJusticeResolver,
  LegalAidCaseResolver,
  MediationCaseResolver,
  MediationPointResolver,
  MediatorResolver,
  PersonJusticeResolver,
} from './resolvers';
import { seedJustice } from './seed';
import {
  CaseFlowJusticeResolver,
  DisputeFlowJusticeResolver,
  DistrictJusticeResolver,
  DistrictMonthJusticeResolver,
  JusticeYearOnYearResolver,
  justiceColumns,
  refreshJusticeStatistics,
} from './statistics';
import { CaseFlow, DisputeFlow, District, DistrictMonth, justiceExtends } from './extends';
import { civilToCriminalSteps } from './civilToCriminal';

/**
 * Justice bureau (司法局): people's mediation (points, mediators, cases started from grid
 * disputes), community corrections (社区矫正) of probation judgments, and legal aid (法律援助).
 * Owns `MediationPoint`, `MediationCase`, `CommunityCorrection`; extends `Person`, `District`,
 * `GridEvent` (grid) and `CourtCase` (court), and the statistics entities `DistrictMonth`, `CaseFlow` and
 * `DisputeFlow`.
 */
export const justiceDepartment: DepartmentDefinition = {
  name: 'justice',
  entities: [
    AppliedEffect,
    MediationPoint,
    Mediator,
    MediationCase,
    MediationParty,
    CommunityCorrection,
    CorrectionEvent,
    CorrectionGroupMember,
    PreSentenceAssessment,
    LegalAidCase,
    StatisticsReleaseCell,
  ],
  migrations,
  resolvers: [
    JusticeEffectsResolver,
    MediationPointResolver,
    MediatorResolver,
    MediationCaseResolver,
    CommunityCorrectionResolver,
    CorrectionFileResolver,
    PreSentenceAssessmentResolver,
    LegalAidCaseResolver,
    PersonJusticeResolver,
    GridEventJusticeResolver,
    CourtCaseJusticeResolver,
    DistrictJusticeResolver,
    JusticeYearOnYearResolver,
    DistrictMonthJusticeResolver,
    CaseFlowJusticeResolver,
    DisputeFlowJusticeResolver,
  ],
  // Nothing of this subgraph returns these; they are here only to carry the justice bureau's statistics.
  orphanedTypes: [District, DistrictMonth, CaseFlow, DisputeFlow],
  caseLinks: justiceCaseLinks,
  referenceResolvers: {
    MediationPoint: ownedReference(MediationPoint, 'id'),
    MediationCase: ownedReference(MediationCase, 'id'),
    CommunityCorrection: ownedReference(CommunityCorrection, 'id'),
    ...stubReferences(justiceExtends),
  },
  seed: seedJustice,
  auditIds: { Mediator: 'id', LegalAidCase: 'id' },
  statisticsColumns: justiceColumns,
  refreshStatistics: refreshJusticeStatistics,
  serviceSteps: civilToCriminalSteps,
};
