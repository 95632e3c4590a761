import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../shared/errors';

/** Page size of a list whose `first` is not given; the upper bound is the configuration's (`MAX_PAGE_SIZE`), in each request's context. */
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: 'Where a page of a list starts and ends (Relay cursor pagination, forward: `first`/`after`).' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'Whether rows follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether rows precede this page: true when it was asked for `after` a cursor (pages are walked forward only).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first row of this page; null when it is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size: default 20, at most the configured maximum (MAX_PAGE_SIZE, 100 by default).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string;
}

export interface Page<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: PageInfo;
  /** Rows of the whole list (every page, same filters and jurisdiction), counted when awaited. */
  totalCount: PromiseLike<number>;
}

/**
 * A count that runs only when awaited. GraphQL awaits a field's value only when the field is
 * selected, so a page that does not ask for `totalCount` costs no count statement.
 */
function lazyCount(run: () => Promise<number>): PromiseLike<number> {
  let started: Promise<number> | undefined;
  return {
    then<A = number, B = never>(
      onFulfilled?: ((value: number) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): PromiseLike<A | B> {
      started ??= run();
      return started.then(onFulfilled, onRejected);
    },
  };
}

/** A `<Name>Connection` type with `edges { node cursor }`, `pageInfo` and `totalCount`. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class Edge {
    @Field(() => node, { description: `The ${name}.` })
    node!: T;

    @Field({ description: 'Opaque position of this row: pass as `after` to continue after it.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} rows (Relay connection).` })
  class Connection {
    @Field(() => [Edge], { description: "The rows of this page, in the list's order." })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Where this page starts and ends.' })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description:
        'Rows of the whole list with the same arguments, every page together (what the caller may see). Counted exactly in one more SQL statement, only when selected.',
    })
    totalCount!: Page<T>['totalCount'];
  }
  return Connection;
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Longer than any cursor `encodeCursor` writes: a longer one is refused without decoding it. */
const MAX_CURSOR_LENGTH = 512;

/** ISO date or date-time, as `cursorValue` writes a Date. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)?$/;

/**
 * Whether a cursor value can stand for a column of `runtimeType`: a cursor that is valid JSON of
 * the wrong type (a string for a number column) must be refused here, not by the database.
 */
function fitsColumn(value: unknown, column: { runtimeType: string; columnTypes: string[] }): boolean {
  // bigint columns come back as strings of digits (MikroORM maps them to string).
  if (/^(bigint|int|integer|smallint|bigserial|serial)\b/.test(column.columnTypes[0] ?? ''))
    return Number.isSafeInteger(value) || (typeof value === 'string' && /^-?\d{1,19}$/.test(value));
  if (column.runtimeType === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (column.runtimeType === 'Date' || /^(date|timestamp)/.test(column.columnTypes[0] ?? '')) {
    return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
  }
  return typeof value === 'string' && !value.includes('\u0000');
}

function decodeCursor(cursor: string, columns: Array<{ runtimeType: string; columnTypes: string[] }>): unknown[] {
  try {
    const values = cursor.length <= MAX_CURSOR_LENGTH ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown) : null;
    if (Array.isArray(values) && values.length === columns.length && values.every((v, i) => fitsColumn(v, columns[i]))) return values;
  } catch {
    // fall through to the error below
  }
  throw badInput('after', 'malformed cursor; pass the endCursor of a previous page');
}

/** A list's `first`, checked against the largest page the hub serves (`maxPageSize`, from the request's context). */
export function checkedPageSize(first: number | undefined | null, maxPageSize: number): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) throw badInput('first', `must be between 1 and ${maxPageSize}`);
  return first;
}

function cursorValue(v: unknown): string | number {
  return v instanceof Date ? v.toISOString() : (v as string | number);
}

/**
 * Keyset pagination: rows ordered by `sort` (the last column unique, e.g. the key), the next page
 * starting strictly after the cursor's row. One SQL statement per page; no OFFSET scans.
 */
export async function paginate<T extends object>(
  { em, maxPageSize }: { em: EntityManager; maxPageSize: number },
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  args: PageArgs,
  sort: { columns: Array<keyof T & string>; direction: 'asc' | 'desc' },
): Promise<Page<T>> {
  const first = checkedPageSize(args.first, maxPageSize);
  const { columns, direction } = sort;
  const conditions: FilterQuery<T>[] = [where];
  if (args.after) {
    const properties = em.getMetadata().get(entity.name).properties;
    const values = decodeCursor(
      args.after,
      columns.map((c) => properties[c]),
    );
    const op = direction === 'asc' ? '$gt' : '$lt';
    // (a, b) > (x, y)  ≡  a > x OR (a = x AND b > y)
    const branches = columns.map((col, i) => {
      const branch: Record<string, unknown> = {};
      columns.slice(0, i).forEach((prev, j) => (branch[prev] = values[j]));
      branch[col] = { [op]: values[i] };
      return branch;
    });
    conditions.push({ $or: branches } as FilterQuery<T>);
  }
  const orderBy = Object.fromEntries(columns.map((c) => [c, direction]));
  const rows = await em.find(entity, { $and: conditions } as FilterQuery<T>, { orderBy: orderBy as never, limit: first + 1 });
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(columns.map((c) => cursorValue(node[c]))) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: lazyCount(() => em.count(entity, where)),
  };
}
