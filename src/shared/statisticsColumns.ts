import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/*
 * The columns of the statistics export (统计导出, `GET /stats.csv`), as the departments declare them
 * beside their statistics. `hub compose` writes them to schema/statistics-columns.json with the
 * subgraph schemas (and `compose --check` keeps them in step); the gateway, which loads no
 * department code, reads that file.
 */

/** One department's figures in one statistics object: the GraphQL field, the department's label, and each figure with its label, in column order. */
export interface ColumnGroup {
  field: string;
  label: string;
  figures: Array<[figure: string, label: string]>;
}

/** Where a flow stage stands in its flow (1: the department the flow starts in): its columns come in that order. */
export type StageColumns = ColumnGroup & { stage: number };

/** A department's part of the statistics export, declared in its `statistics.ts` (`columnsOf`). */
export interface DepartmentColumns {
  /** Its district statistics (a field of `District` and of `DistrictMonth`). */
  districts?: ColumnGroup;
  caseFlow?: StageColumns;
  disputeFlow?: StageColumns;
}

/** Every column group, by what it is exported under: the district statistics and the stages of each flow. */
export interface StatisticsColumns {
  districts: ColumnGroup[];
  caseFlow: ColumnGroup[];
  disputeFlow: ColumnGroup[];
}

export const STATISTICS_COLUMNS_FILE = join(repoRoot, 'schema', 'statistics-columns.json');

const isGroup = (g: unknown): g is ColumnGroup => {
  const { field, label, figures } = (g ?? {}) as Partial<ColumnGroup>;
  return (
    typeof field === 'string' &&
    typeof label === 'string' &&
    Array.isArray(figures) &&
    figures.every((f) => Array.isArray(f) && f.length === 2 && f.every((s) => typeof s === 'string'))
  );
};

/** Reads the columns file, refusing one that is not of this shape (a hand edit, a half-written file). */
export function readStatisticsColumns(file = STATISTICS_COLUMNS_FILE): StatisticsColumns {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof StatisticsColumns, unknown>>;
  for (const key of ['districts', 'caseFlow', 'disputeFlow'] as const) {
    const groups = parsed[key];
    if (!Array.isArray(groups) || !groups.every(isGroup)) throw new Error(`${file}: "${key}" must be a list of column groups`);
  }
  return parsed as StatisticsColumns;
}
