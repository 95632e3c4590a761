import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A released cell of a department's statistics (`<schema>.statistics_release`, see
 * `releaseStore.ts`): declared as an entity only so that each department's schema diff knows the
 * table; it is read and written in SQL, never through the ORM, and never in the graph.
 */
@Entity({ tableName: 'statistics_release' })
export class StatisticsReleaseCell {
  @PrimaryKey({ type: 'text' })
  statistic!: string;

  @PrimaryKey({ type: 'text' })
  measure!: string;

  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  /** YYYY-MM or YYYY. */
  @PrimaryKey({ type: 'string', length: 7 })
  period!: string;

  /** Null when withheld. */
  @Property({ type: 'integer', nullable: true })
  value!: number | null;

  @Property({ type: 'string', length: 7 })
  firstMonth!: string;

  @Property({ type: 'string', length: 7 })
  lastMonth!: string;
}
