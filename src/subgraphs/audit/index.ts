import { migrations } from '../../../migrations/audit';
import type { SubgraphDefinition } from '../../kit/department';
import { AccessRecord } from './entities';
import { AccessAlertResolver } from './alerts';
import { AccessReportResolver } from './report';
import { AccessLogResolver } from './resolvers';

/**
 * The audit trail as a subgraph, for oversight (监督): who looked at which person or record, when,
 * why and what they got. Reads `audit.access_log`; every department subgraph writes to it.
 */
export const auditSubgraph: SubgraphDefinition = {
  name: 'audit',
  entities: [AccessRecord],
  migrations,
  // In this order, the order of the Query fields in the printed SDL.
  resolvers: [AccessAlertResolver, AccessReportResolver, AccessLogResolver],
  referenceResolvers: {},
  exportsAuditHeads: true,
};
