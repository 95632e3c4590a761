import type { DepartmentDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { representationKey } from '../../kit/references';
import { startHotlineService } from '../../../test/fixtures/hotline/service';
import { hotlineApi } from './api';
import { hotlineTicketByKey } from './loaders';
import { HotlineTicketResolver } from './resolvers';
import { hotlineExtends } from './extends';

/**
 * The hotline department (scaffolded by `hub new-department hotline --from-openapi`): its records stay
 * behind its own API (`API_URL_HOTLINE`); nothing is stored in the hub. See docs/integrating-a-department.md.
 */
export const hotlineDepartment: DepartmentDefinition = {
  name: 'hotline',
  // Added by hand: in dev mode (npm start, tests) a stand-in for the hotline's API runs on its spec's port.
  existingApi: { client: hotlineApi, devService: startHotlineService, devPort: 4180 },
  entities: [],
  migrations: [],
  resolvers: [HotlineTicketResolver],
  referenceResolvers: {
    HotlineTicket: (representation, ctx) => hotlineTicketByKey(ctx).load(representationKey(representation, 'gdbh')),
    ...stubReferences(hotlineExtends),
  },
  // Nothing to seed: the records are the department's own.
  seed: () => [],
};
