import { migrations } from '../../../migrations/petition';
import type { DepartmentDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { PetitionPerson, PetitionCase } from './entities';
import { GridEventPetitionResolver, PetitionPersonResolver, PetitionCaseResolver, PersonPetitionResolver } from './resolvers';
import { District, DistrictMonth, petitionExtends } from './extends';
import { DistrictMonthResolver, PetitionStatisticsResolver, petitionColumns, refreshPetitionStatistics } from './statistics';

/**
 * The petition department (scaffolded by `hub new-department petition --from-database`): its records stay
 * in its own system's database (`DATABASE_URL_PETITION`, schema xf), read as they are,
 * read-only. See docs/integrating-a-department.md.
 */
export const petitionDepartment: DepartmentDefinition = {
  name: 'petition',
  // Added by hand: dev and tests read a stand-in for the bureau's system (production: DATABASE_URL_PETITION).
  existingDatabase: { schema: 'xf', devFixture: 'test/fixtures/petition/xf.sql' },
  entities: [PetitionPerson, PetitionCase],
  // Added by hand: the hub's own schema for the bureau (`petition`, in the hub's database), which holds its statistics release.
  migrations,
  resolvers: [
    PetitionPersonResolver,
    PetitionCaseResolver,
    PersonPetitionResolver,
    GridEventPetitionResolver,
    PetitionStatisticsResolver,
    DistrictMonthResolver,
  ],
  // Reached only through `_entities`.
  orphanedTypes: [District, DistrictMonth],
  referenceResolvers: {
    PetitionPerson: ownedReference(PetitionPerson, 'ryid'),
    PetitionCase: ownedReference(PetitionCase, 'xfjbh'),
    ...stubReferences(petitionExtends),
  },
  // Nothing to seed: the records are the department's own.
  seed: () => [],
  statisticsColumns: petitionColumns,
  refreshStatistics: refreshPetitionStatistics,
};
