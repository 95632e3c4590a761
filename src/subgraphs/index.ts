import type { DepartmentDefinition } from '../kit/department';
import type { Department } from '../shared/config';
import { gridDepartment } from './grid';
import { justiceDepartment } from './justice';

/** Every department subgraph of the hub, by name. */
export const departments: Partial<Record<Department, DepartmentDefinition>> = {
  grid: gridDepartment,
  justice: justiceDepartment,
};

export function departmentList(): DepartmentDefinition[] {
  return Object.values(departments);
}
