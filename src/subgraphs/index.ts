import type { SubgraphDefinition } from '../kit/department';
import { SUBGRAPHS, type SubgraphName } from '../shared/registry';
import { auditSubgraph } from './audit';
import { courtDepartment } from './court';
import { gridDepartment } from './grid';
import { hotlineDepartment } from './hotline';
import { justiceDepartment } from './justice';
import { petitionDepartment } from './petition';
import { policeDepartment } from './police';
import { procuratorateDepartment } from './procuratorate';
import { workflowDepartment } from './workflow';

/**
 * Every subgraph's definition, by the name it has in the registry (src/shared/registry.ts, which
 * says its port and kind): the departments and the audit trail's read side.
 */
export const subgraphs: Record<SubgraphName, SubgraphDefinition> = {
  grid: gridDepartment,
  police: policeDepartment,
  procuratorate: procuratorateDepartment,
  court: courtDepartment,
  justice: justiceDepartment,
  petition: petitionDepartment,
  hotline: hotlineDepartment,
  audit: auditSubgraph,
  workflow: workflowDepartment,
};

/** The definitions in the registry's order. */
export function subgraphList(): SubgraphDefinition[] {
  return SUBGRAPHS.map((name) => subgraphs[name]);
}
