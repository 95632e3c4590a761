import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { OperationLimits } from '../shared/config';
import { ErrorCode } from '../shared/errors';

/** What one operation asks for, with every fragment expanded where it is spread. */
export interface OperationMetrics {
  /** Deepest field nesting (a root field is depth 1). */
  depth: number;
  aliases: number;
  directives: number;
  /** Fields weighted by how many times they can be resolved (see `measureOperation`). */
  cost: number;
  /** The operation reads `__schema` or `__type`. */
  introspection: boolean;
}

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

const LIMIT_TEXT: Record<LimitName, string> = {
  depth: 'the operation nests fields too deeply',
  aliases: 'the operation uses too many aliases',
  directives: 'the operation uses too many directives',
  tokens: 'the operation document is too long',
  cost: 'the operation asks for too much data at once; ask for smaller pages or fewer nested lists',
};

/**
 * The error for an operation over a limit. It names the limit, never its configured value or the
 * operation's measure, so probing does not reveal how far a caller may go.
 */
export class OperationLimitError extends GraphQLError {
  constructor(readonly limit: LimitName) {
    super(`${LIMIT_TEXT[limit]} (limit: ${limit})`, { extensions: { code: ErrorCode.OperationLimitExceeded, limit, http: { status: 400 } } });
  }
}

export interface PageSizes {
  default: number;
  max: number;
}

interface Measure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
  introspection: boolean;
}

const NOTHING: Measure = { depth: 0, aliases: 0, directives: 0, cost: 0, introspection: false };

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLCompositeType, field: FieldNode): GraphQLField<unknown, unknown> | undefined {
  const name = field.name.value;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

/** Types whose every field is a figure computed by one aggregate statement (`PoliceStatistics`). */
const STATISTICS_TYPE = /Statistics$/;
/** The longest month series a field returns (the subgraphs refuse longer ranges). */
export const MAX_SERIES_MONTHS = 60;

/** A list field with required `from` and `to` days returns one item per month of the range (`District.monthly`). */
function isMonthSeries(definition: GraphQLField<unknown, unknown>): boolean {
  const required = (name: string) => definition.args.some((a) => a.name === name && isNonNullType(a.type));
  return required('from') && required('to');
}

/** Months a range of days `YYYY-MM-DD` touches, 1 to MAX_SERIES_MONTHS; the maximum when unknown or malformed. */
export function monthsBetween(from: unknown, to: unknown): number {
  const month = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}/.test(v) ? Number(v.slice(0, 4)) * 12 + Number(v.slice(5, 7)) : NaN);
  const n = month(to) - month(from) + 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_SERIES_MONTHS) : MAX_SERIES_MONTHS;
}

/**
 * Measures an operation after validation (so fragments exist and do not cycle).
 *
 * Cost: every field, `__typename` included, costs 1, times the length of every list it sits in.
 * A field with a `first` argument (a paginated connection) sets the length of the list right
 * below it (`edges`) to its page size — the literal, or the variable's value, or the default page
 * size when absent; a month series (`District.monthly`) counts the months of its range (60 when
 * not known before it runs); other lists count as `listSize`. A statistics object adds its cells
 * (every field of its type: one aggregate computes them all) each time it is resolved. Inline fragments and fragment spreads add
 * up, even on different types of a union: the measure is an upper bound, never an estimate that
 * extra selections (`__typename`, `__schema { __typename }`, a repeated spread) could lower.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  pages: PageSizes,
  listSize: number,
): OperationMetrics {
  let byDocument = measuredOperations.get(schema);
  if (!byDocument) measuredOperations.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map<string, MeasuredOperation>()));
  const operationKey = `${operation.name?.value ?? ''}\u0000${pages.default}\u0000${pages.max}\u0000${listSize}`;
  const known = byOperation.get(operationKey);
  if (!known) {
    // The first time: measure while noting which variables the measure reads (page sizes, month ranges).
    const reads = new Set<string>();
    const noted = new Proxy(variables ?? {}, {
      get: (target, name): unknown => {
        if (typeof name === 'string') reads.add(name);
        return Reflect.get(target, name) as unknown;
      },
    });
    const metrics = measureOnce(schema, document, operation, noted, pages, listSize);
    const entry = { reads: [...reads], byValues: new Map<string, OperationMetrics>() };
    entry.byValues.set(valuesKey(entry.reads, variables), metrics);
    byOperation.set(operationKey, entry);
    return metrics;
  }
  const key = valuesKey(known.reads, variables);
  let metrics = known.byValues.get(key);
  if (!metrics) {
    metrics = measureOnce(schema, document, operation, variables, pages, listSize);
    if (known.byValues.size >= MAX_MEASURES_PER_OPERATION) known.byValues.clear();
    known.byValues.set(key, metrics);
  }
  return metrics;
}

/**
 * Measures per schema, document and operation, by the values of the variables the measure reads:
 * Apollo Server hands the same parsed document for the same query text, the walk visits the same
 * nodes whatever the values, and the person view's profile had it at ~2 % of the gateway's CPU.
 * A person id changes nothing here; a page size or a month range does, and is part of the key.
 */
interface MeasuredOperation {
  reads: string[];
  byValues: Map<string, OperationMetrics>;
}
const measuredOperations = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, MeasuredOperation>>>();
const MAX_MEASURES_PER_OPERATION = 64;
const valuesKey = (names: readonly string[], variables: Record<string, unknown> | undefined) => JSON.stringify(names.map((n) => variables?.[n] ?? null));

function measureOnce(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  pages: PageSizes,
  listSize: number,
): OperationMetrics {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // A fragment is measured once per list length in force where it is spread (its cost is then
  // multiplied by the lists around the spread): nested spreads cannot blow the walk up.
  const measuredFragments = new Map<string, Measure>();

  const pageSize = (value: ValueNode | undefined): number => {
    let n: unknown = undefined;
    if (value?.kind === Kind.INT) n = Number(value.value);
    else if (value?.kind === Kind.VARIABLE) n = variables?.[value.name.value];
    // Subgraphs refuse pages outside 1..max with a clear BAD_USER_INPUT; measure what they would run.
    return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, pages.max) : pages.default;
  };

  const combine = (into: Measure, part: Measure): void => {
    into.depth = Math.max(into.depth, part.depth);
    into.aliases += part.aliases;
    into.directives += part.directives;
    into.cost += part.cost;
    into.introspection ||= part.introspection;
  };

  const measureSelections = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, listLength: number): Measure => {
    const total: Measure = { ...NOTHING };
    for (const selection of selectionSet.selections) {
      total.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        combine(total, measureField(selection, parent, listLength));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        combine(total, measureSelections(selection.selectionSet, isCompositeType(type) ? type : parent, listLength));
      } else {
        combine(total, measureFragment(selection.name.value, listLength));
      }
    }
    return total;
  };

  const measureFragment = (name: string, listLength: number): Measure => {
    const fragment = fragments.get(name);
    if (!fragment) return NOTHING;
    // A fragment on a connection type holds `edges`, whose length is the connection's page size.
    const key = `${name}@${listLength}`;
    let measured = measuredFragments.get(key);
    if (!measured) {
      const type = schema.getType(fragment.typeCondition.name.value);
      measured = { ...NOTHING };
      combine(measured, measureSelections(fragment.selectionSet, isCompositeType(type) ? type : (schema.getQueryType() as GraphQLCompositeType), listLength));
      measured.directives += fragment.directives?.length ?? 0;
      measuredFragments.set(key, measured);
    }
    return measured;
  };

  const argument = (field: FieldNode, name: string): unknown => {
    const value = field.arguments?.find((a) => a.name.value === name)?.value;
    if (value?.kind === Kind.STRING) return value.value;
    return value?.kind === Kind.VARIABLE ? variables?.[value.name.value] : undefined;
  };

  const measureField = (field: FieldNode, parent: GraphQLCompositeType, listLength: number): Measure => {
    const definition = fieldDefinition(schema, parent, field);
    const type = definition?.type;
    const named = type ? getNamedType(type) : undefined;
    const paginated = !!definition?.args.some((a) => a.name === 'first');
    const isList = !!type && isListType(getNullableType(type));
    // The length of this field's own list: a month series from its range; else as the parent said.
    const series = isList && definition && isMonthSeries(definition) ? monthsBetween(argument(field, 'from'), argument(field, 'to')) : null;
    const below = paginated ? pageSize(field.arguments?.find((a) => a.name.value === 'first')?.value) : listSize;
    const children = field.selectionSet && named && isCompositeType(named) ? measureSelections(field.selectionSet, named, below) : NOTHING;
    const times = isList ? (series ?? listLength) : 1;
    // A statistics object computes all of its cells whichever are selected.
    const cells = named && isObjectType(named) && STATISTICS_TYPE.test(named.name) ? Object.keys(named.getFields()).length : 0;
    return {
      depth: 1 + children.depth,
      aliases: (field.alias ? 1 : 0) + children.aliases,
      directives: children.directives,
      cost: times * (1 + cells + children.cost),
      introspection: field.name.value === '__schema' || field.name.value === '__type' || children.introspection,
    };
  };

  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const metrics = root ? measureSelections(operation.selectionSet, root, listSize) : { ...NOTHING };
  const operationDirectives = (operation.directives?.length ?? 0) + (operation.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
  return { ...metrics, directives: metrics.directives + operationDirectives };
}

/** The first limit the measured operation exceeds, or null. */
export function exceededLimit(
  metrics: OperationMetrics,
  limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxCost'>,
): LimitName | null {
  if (metrics.depth > limits.maxDepth) return 'depth';
  if (metrics.aliases > limits.maxAliases) return 'aliases';
  if (metrics.directives > limits.maxDirectives) return 'directives';
  if (metrics.cost > limits.maxCost) return 'cost';
  return null;
}
