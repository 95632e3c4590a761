import type { DepartmentDefinition } from '../kit/department';
import type { Department } from '../shared/config';
import { courtDepartment } from './court';
import { gridDepartment } from './grid';
import { justiceDepartment } from './justice';
import { policeDepartment } from './police';
import { procuratorateDepartment } from './procuratorate';

/** Every department subgraph of the hub, by name. */
export const departments: Partial<Record<Department, DepartmentDefinition>> = {
  grid: gridDepartment,
  police: policeDepartment,
  procuratorate: procuratorateDepartment,
  court: courtDepartment,
  justice: justiceDepartment,
};

export function departmentList(): DepartmentDefinition[] {
  return Object.values(departments);
}
