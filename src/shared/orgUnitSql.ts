import { CITY_CODE } from './huludao';
import { allUnits, APPEAL_KINDS, PLATFORM_CASE_NO, TRIBUNAL_KINDS, UNIT_PREFIX, type UnitDepartment } from './orgUnits';

/*
 * The SQL twins of the handling-unit rules of src/shared/orgUnits.ts, for the migrations that add a
 * `unit_code` column and backfill the rows already stored exactly as the seed and the writers fill
 * new ones. The catalogue is built without a database, so its codes go into the statement as a list
 * (test/units.test.ts checks each twin against its rule on the test database).
 */

function catalogueCodes(department: UnitDepartment): string {
  return allUnits()
    .filter((u) => u.department === department)
    .map((u) => `'${u.code}'`)
    .join(', ');
}

/** `handlingUnitCode(department, x)` in SQL, `gridOrTownship` an SQL expression (a column). */
export function handlingUnitSql(department: UnitDepartment, gridOrTownship: string): string {
  const prefix = UNIT_PREFIX[department];
  const local = `'${prefix}' || left(${gridOrTownship}, 9) || '000'`;
  const county = `'${prefix}' || left(${gridOrTownship}, 6) || '${department === 'procuratorate' ? '000001' : '000000'}'`;
  return `case when ${local} in (${catalogueCodes(department)}) then ${local} else ${county} end`;
}

/** `policeCaseUnitCode(caseNo, gridCode)` in SQL: the filing unit of a platform case number where the catalogue holds it, else the township's 派出所. */
export function policeCaseUnitSql(caseNo: string, gridCode: string): string {
  const filing = `'GA' || substr(${caseNo}, 2, 12)`;
  return `case when ${caseNo} ~ '${PLATFORM_CASE_NO.source}' and right(${caseNo}, 4) <> '0000' and ${filing} in (${catalogueCodes('police')})
    then ${filing} else ${handlingUnitSql('police', gridCode)} end`;
}

/** `courtUnitCode(kind, districtCode, townshipCode)` in SQL. */
export function courtUnitSql(kind: string, districtCode: string, townshipCode: string): string {
  const list = (kinds: readonly string[]) => kinds.map((k) => `'${k}'`).join(', ');
  return handlingUnitSql(
    'court',
    `case when ${kind}::text in (${list(APPEAL_KINDS)}) then '${CITY_CODE}'
      when ${kind}::text in (${list(TRIBUNAL_KINDS)}) and left(${townshipCode}, 6) = ${districtCode} then ${townshipCode} else ${districtCode} end`,
  );
}

/**
 * A migration's statements adding the handling unit to `schema.table`: the column, the backfill
 * of the rows already stored from `backfill` (an SQL expression over the row), NOT NULL, the index
 * that `@UnitColumn()` (src/kit/orgUnit.ts) declares.
 */
export function addUnitColumnSql(schema: string, table: string, backfill: string): string[] {
  return [
    `alter table "${schema}"."${table}" add column "unit_code" varchar(14) null;`,
    `update "${schema}"."${table}" set "unit_code" = ${backfill};`,
    `alter table "${schema}"."${table}" alter column "unit_code" set not null;`,
    `create index "${table}_unit_code_index" on "${schema}"."${table}" ("unit_code");`,
  ];
}

export function dropUnitColumnSql(schema: string, table: string): string {
  return `alter table "${schema}"."${table}" drop column "unit_code";`;
}
