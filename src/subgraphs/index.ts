import type { DepartmentDefinition } from '../kit/department';
import type { SubgraphName } from '../shared/config';
import { auditSubgraph } from './audit';
import { courtDepartment } from './court';
import { gridDepartment } from './grid';
import { justiceDepartment } from './justice';
import { policeDepartment } from './police';
import { procuratorateDepartment } from './procuratorate';
import { petitionDepartment } from './petition';
import { hotlineDepartment } from './hotline';

/** Every subgraph of the hub, by name: the five departments and the audit trail. */
export const departments: Partial<Record<SubgraphName, DepartmentDefinition>> = {
  grid: gridDepartment,
  police: policeDepartment,
  procuratorate: procuratorateDepartment,
  court: courtDepartment,
  justice: justiceDepartment,
  audit: auditSubgraph,
  petition: petitionDepartment,
  hotline: hotlineDepartment,
};

export function departmentList(): DepartmentDefinition[] {
  return Object.values(departments);
}
