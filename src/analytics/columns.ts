import type { SubgraphDefinition } from '../kit/department';
import type { ColumnGroup, StatisticsColumns } from '../shared/statisticsColumns';
import type { Aggregate } from './figures';

/** The figures of a statistics object: every field but `suppressedFields`. */
type FigureName<T extends Aggregate> = Exclude<keyof T & string, 'suppressedFields'>;

/**
 * The columns of a statistics object: one label for each of its figures (a figure without a label
 * does not compile), in the order given.
 */
export function columnsOf<T extends Aggregate>(_type: abstract new () => T, field: string, label: string, figures: Record<FigureName<T>, string>): ColumnGroup {
  return { field, label, figures: Object.entries<string>(figures) };
}

/** The whole export: district statistics in the registry's order of departments, flow stages in flow order. */
export function statisticsColumns(departments: readonly SubgraphDefinition[]): StatisticsColumns {
  const declared = departments.map((d) => d.statisticsColumns ?? {});
  const stages = (flow: 'caseFlow' | 'disputeFlow') =>
    declared
      .flatMap((c) => (c[flow] ? [c[flow]] : []))
      .sort((a, b) => a.stage - b.stage)
      .map(({ field, label, figures }) => ({ field, label, figures }));
  return { districts: declared.flatMap((c) => (c.districts ? [c.districts] : [])), caseFlow: stages('caseFlow'), disputeFlow: stages('disputeFlow') };
}
