import type { DepartmentDefinition } from '../kit/department';
import type { Department } from '../shared/config';
import { courtDepartment } from './court';
import { gridDepartment } from './grid';

/** Every department subgraph of the hub, by name. */
export const departments: Partial<Record<Department, DepartmentDefinition>> = {
  grid: gridDepartment,
  court: courtDepartment,
};

export function departmentList(): DepartmentDefinition[] {
  return Object.values(departments);
}
