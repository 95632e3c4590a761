import { migrations } from '../../../migrations/procuratorate';
import type { DepartmentDefinition } from '../../kit/department';
import { extendedReference, ownedReference } from '../../kit/references';
import { districtMonthReference, flowReference } from '../../kit/statistics';
import { isPersonKey } from '../../shared/personKey';
import { isArrestReviewCaseNo, isPoliceCaseNo, isProsecutionCaseNo, procuratorateCaseLinks } from './keys';
import { ArrestReview, ProsecutionCase, ProsecutionDefendant } from './entities';
import { ArrestReviewResolver, PersonResolver, PoliceCaseResolver, ProsecutionCaseResolver } from './resolvers';
import { seedProcuratorate } from './seed';
import { CaseFlowResolver, DistrictMonthResolver, DistrictResolver } from './statistics';
import { CaseFlow, District, DistrictMonth, Person, PoliceCase } from './stubs';

const isDivisionCode = (code: string): boolean => /^\d{6}(\d{3})?$/.test(code);

/**
 * The procuratorate (检察院): arrest review (审查逮捕) and prosecution review (审查起诉) of the
 * criminal cases the police transfer. Owns `ProsecutionCase` and `ArrestReview`; extends
 * `PoliceCase`, `Person`, `District`, `DistrictMonth` and `CaseFlow`.
 */
export const procuratorateDepartment: DepartmentDefinition = {
  name: 'procuratorate',
  entities: [ProsecutionCase, ArrestReview, ProsecutionDefendant],
  migrations,
  resolvers: [ProsecutionCaseResolver, ArrestReviewResolver, PoliceCaseResolver, PersonResolver, DistrictResolver, DistrictMonthResolver, CaseFlowResolver],
  // Reached only through `_entities`.
  orphanedTypes: [DistrictMonth, CaseFlow],
  caseLinks: procuratorateCaseLinks,
  referenceResolvers: {
    ProsecutionCase: ownedReference(ProsecutionCase, 'caseNo', isProsecutionCaseNo),
    ArrestReview: ownedReference(ArrestReview, 'caseNo', isArrestReviewCaseNo),
    PoliceCase: extendedReference(PoliceCase, 'caseNo', isPoliceCaseNo),
    Person: extendedReference(Person, 'id', isPersonKey),
    District: extendedReference(District, 'code', isDivisionCode),
    DistrictMonth: districtMonthReference(DistrictMonth),
    CaseFlow: flowReference(CaseFlow, ['transferredCaseKeys']),
  },
  seed: seedProcuratorate,
};
