import { migrations } from '../../../migrations/court';
import type { DepartmentDefinition } from '../../kit/department';
import { extendedReference, ownedReference } from '../../kit/references';
import { isPersonKey } from '../../shared/personKey';
import { isCourtCaseNo } from './caseNumber';
import { CourtCase, CourtParty, Hearing } from './entities';
import { CourtCaseResolver, CourtPartyResolver, DistrictResolver, MediationCaseResolver, PersonResolver, ProsecutionCaseResolver } from './resolvers';
import { seedCourt } from './seed';
import { District, MediationCase, Person, ProsecutionCase } from './stubs';

/**
 * The people's courts (法院): criminal trials, civil lawsuits with their pre-litigation mediation,
 * judicial confirmations of mediation agreements and enforcement. Owns `CourtCase`; extends
 * `Person`, `District`, `ProsecutionCase` and `MediationCase`.
 */
export const courtDepartment: DepartmentDefinition = {
  name: 'court',
  entities: [CourtCase, CourtParty, Hearing],
  migrations,
  resolvers: [CourtCaseResolver, CourtPartyResolver, PersonResolver, ProsecutionCaseResolver, MediationCaseResolver, DistrictResolver],
  // No court field returns a District; it is here only to carry `courtStatistics`.
  orphanedTypes: [District],
  referenceResolvers: {
    CourtCase: ownedReference(CourtCase, 'caseNo', isCourtCaseNo),
    Person: extendedReference(Person, 'id', isPersonKey),
    District: extendedReference(District, 'code', (code) => /^\d{6}(\d{3})?$/.test(code)),
    ProsecutionCase: extendedReference(ProsecutionCase, 'caseNo'),
    MediationCase: extendedReference(MediationCase, 'id'),
  },
  seed: seedCourt,
};
