import { GraphQLError } from 'graphql';
import { Directive, Field, ID } from 'type-graphql';
import type { ReferenceResolver } from '../kit/department';
import { externalCounts, stubClass, type StubClass } from '../kit/extends';
import { representationKey, requiredCounts } from '../kit/references';
import { isDivisionCode } from '../shared/divisions';
import { badInput, ErrorCode } from '../shared/errors';
import { isDate } from '../shared/validate';
import type { DayRange } from './dayRange';
import { isCity } from './release';

/*
 * The computed entities statistics hang on, built from their ids alone: a division's month
 * (`DistrictMonth`) and a division's case or dispute flow (`CaseFlow`, `DisputeFlow`). Grid owns
 * `DistrictMonth` and `DisputeFlow`, police `CaseFlow`; the departments that add statistics or flow
 * stages to them declare them in their `extends.ts` with the factories below, whose instances are
 * the parsed ids (plus the keys a stage requires), so the hidden fields cannot drift from the ids.
 */

const MONTH = /^\d{4}-\d{2}$/;

/** What a `DistrictMonth` id stands for. */
export interface DistrictMonthKey {
  id: string;
  code: string;
  month: string;
  range: DayRange;
}

/** `211402:2025-01-01:2025-12-31:2025-03`: the division, the range the series covers, and the month. */
export function districtMonthId(code: string, range: DayRange, month: string): string {
  return `${code}:${range.from}:${range.to}:${month}`;
}

export function parseDistrictMonthId(id: string): DistrictMonthKey | null {
  const [code, from, to, month, ...rest] = id.split(':');
  if (rest.length || !isDivisionCode(code ?? '') || !isDate(from ?? '') || !isDate(to ?? '') || !MONTH.test(month ?? '')) return null;
  if (from > to || month < from.slice(0, 7) || month > to.slice(0, 7)) return null;
  return { id, code, month, range: { from, to } };
}

/** What a `CaseFlow` or `DisputeFlow` id stands for. */
export interface FlowKey {
  id: string;
  code: string;
  range: DayRange;
}

/** `211402:2025-01-01:2025-12-31`, either day empty when the range is open. */
export function flowId(code: string, range: DayRange): string {
  return `${code}:${range.from ?? ''}:${range.to ?? ''}`;
}

export function parseFlowId(id: string): FlowKey | null {
  const [code, from, to, ...rest] = id.split(':');
  if (rest.length || to === undefined || !isDivisionCode(code) || (from && !isDate(from)) || (to && !isDate(to)) || (from && to && from > to)) return null;
  return { id, code, range: { from: from || null, to: to || null } };
}

/** Reference resolver of a `DistrictMonth` (owned or extended): everything comes from its id, but the owner's counts a field `@requires`. */
export function districtMonthReference(type: new () => object, required: readonly string[] = []): ReferenceResolver {
  return (representation) =>
    Object.assign(
      new type(),
      parseDistrictMonthId(representationKey(representation, 'id', (id) => parseDistrictMonthId(id) !== null)),
      requiredCounts(representation, required),
    );
}

/**
 * Reference resolver of a flow: its id, and the upstream keys the gateway sends along for the
 * fields that `@requires` them (`carried`: lists of strings, or absent when not required).
 */
export function flowReference(type: new () => object, carried: readonly string[] = []): ReferenceResolver {
  return (representation) => {
    const key = parseFlowId(representationKey(representation, 'id', (id) => parseFlowId(id) !== null))!;
    const extra: Record<string, string[] | null> = {};
    for (const field of carried) {
      const value = representation[field] ?? null;
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw new GraphQLError(`cannot resolve ${String(representation.__typename)} representation: "${field}" must be a list of strings`, {
          extensions: { code: ErrorCode.BadRepresentation },
        });
      }
      extra[field] = value;
    }
    return Object.assign(new type(), key, key.range, extra);
  };
}

/** The keys each stage of the case flow passes on (police → procuratorate → court → justice): the fields a later stage `@requires`. */
export type CaseFlowKeys = 'transferredCaseKeys' | 'prosecutedCaseKeys' | 'convictedCaseKeys';
/** The keys each stage of the dispute flow passes on (grid → justice → court). */
export type DisputeFlowKeys = 'disputeEventKeys' | 'mediationCaseKeys';

/** A computed entity extended here: its `id` key, the upstream keys and the owner's counts it requires (external), nothing else in GraphQL. */
function computedStub<T extends object>(
  typeName: string,
  carries: readonly string[],
  reference: (type: new () => T) => ReferenceResolver,
  counts: readonly string[] = [],
): StubClass<T> {
  return stubClass<T>(
    typeName,
    ['@key(fields: "id")'],
    undefined,
    (prototype) => {
      Field(() => ID)(prototype, 'id');
      for (const field of carries) {
        Directive('@external')(prototype, field);
        Field(() => [String], { nullable: true })(prototype, field);
      }
      externalCounts(prototype, counts);
    },
    reference,
  );
}

/** `DistrictMonth` as a department that adds its statistics to it declares it, with the owner's counts its statistics require. */
export function districtMonthStub<R extends string = never>(...requires: R[]): StubClass<DistrictMonthKey & Record<R, number | null>> {
  return computedStub<DistrictMonthKey & Record<R, number | null>>('DistrictMonth', [], (type) => districtMonthReference(type, requires), requires);
}

/** `CaseFlow` as a department that adds a stage declares it, with the keys of the stage before that it requires. */
export function caseFlowStub<C extends CaseFlowKeys>(...carries: C[]): StubClass<FlowKey & Record<C, string[] | null>> {
  return computedStub('CaseFlow', carries, (type) => flowReference(type, carries));
}

/** `DisputeFlow` as a department that adds a stage declares it, with the keys of the stage before that it requires. */
export function disputeFlowStub<C extends DisputeFlowKeys>(...carries: C[]): StubClass<FlowKey & Record<C, string[] | null>> {
  return computedStub('DisputeFlow', carries, (type) => flowReference(type, carries));
}

/** A flow as its owner's GraphQL shows it: the parsed id, and the range's ends as fields. */
export type OwnedFlow = FlowKey & { from: string | null; to: string | null };

/**
 * The class of a flow its owner declares (police `CaseFlow`, grid `DisputeFlow`): `id`, `code`,
 * `from` and `to` in GraphQL, the range hidden; `counted` says what the range's days are of.
 */
export function ownedFlow(typeName: 'CaseFlow' | 'DisputeFlow', description: string, counted: string): StubClass<OwnedFlow> {
  return stubClass<OwnedFlow>(
    typeName,
    ['@key(fields: "id")'],
    description,
    (prototype) => {
      Field(() => ID, { description: 'Opaque: the division and the range.' })(prototype, 'id');
      Field(() => String, { description: 'The district or township code the flow is counted for.' })(prototype, 'code');
      Field(() => String, { nullable: true, description: `First day of the range ${counted} (YYYY-MM-DD).` })(prototype, 'from');
      Field(() => String, { nullable: true, description: 'Last day of the range (YYYY-MM-DD).' })(prototype, 'to');
      // The owner's index.ts declares its reference resolver (`flowReference`), as for its other entities.
    },
    null,
  );
}

/** The flow of a division over a range, as the owner's field returns it. */
export function flowOf(type: new () => OwnedFlow, code: string, range: DayRange): OwnedFlow {
  // A flow joins each county's records by keys, county by county: a city-wide cohort is not one of its tables.
  if (isCity(code)) throw badInput('code', "flows are counted per district or township: the city's flow is the sum of its districts'");
  return Object.assign(new type(), { id: flowId(code, range), code, ...range, range });
}
