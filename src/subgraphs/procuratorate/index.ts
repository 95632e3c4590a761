import { AppliedEffect } from '../../kit/effects';
import { ProcuratorateEffectsResolver } from './effects';
import { StatisticsReleaseCell } from '../../analytics/releaseEntity';
import { migrations } from '../../../migrations/procuratorate';
import type { DepartmentDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { isArrestReviewCaseNo, isProsecutionCaseNo, procuratorateCaseLinks } from './keys';
import { ArrestReview, ProsecutionCase, ProsecutionDefendant } from './entities';
import { ArrestReviewResolver, PersonResolver, PoliceCaseResolver, ProsecutionCaseResolver } from './resolvers';
import { seedProcuratorate } from './seed';
import { CaseFlowResolver, DistrictMonthResolver, DistrictResolver, procuratorateColumns, refreshProcuratorateStatistics } from './statistics';
import { CaseFlow, DistrictMonth, procuratorateExtends } from './extends';

/**
 * The procuratorate (检察院): arrest review (审查逮捕) and prosecution review (审查起诉) of the
 * criminal cases the police transfer. Owns `ProsecutionCase` and `ArrestReview`; extends
 * `PoliceCase`, `Person`, `District`, `DistrictMonth` and `CaseFlow`.
 */
export const procuratorateDepartment: DepartmentDefinition = {
  name: 'procuratorate',
  entities: [AppliedEffect, ProsecutionCase, ArrestReview, ProsecutionDefendant, StatisticsReleaseCell],
  migrations,
  resolvers: [
    ProcuratorateEffectsResolver,
    ProsecutionCaseResolver,
    ArrestReviewResolver,
    PoliceCaseResolver,
    PersonResolver,
    DistrictResolver,
    DistrictMonthResolver,
    CaseFlowResolver,
  ],
  // Reached only through `_entities`.
  orphanedTypes: [DistrictMonth, CaseFlow],
  caseLinks: procuratorateCaseLinks,
  referenceResolvers: {
    ProsecutionCase: ownedReference(ProsecutionCase, 'caseNo', isProsecutionCaseNo),
    ArrestReview: ownedReference(ArrestReview, 'caseNo', isArrestReviewCaseNo),
    ...stubReferences(procuratorateExtends),
  },
  seed: seedProcuratorate,
  statisticsColumns: procuratorateColumns,
  refreshStatistics: refreshProcuratorateStatistics,
};
