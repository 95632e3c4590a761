import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO, GraphQLLocalDate } from 'graphql-scalars';

/**
 * The graph's two time scalars, one object each for every subgraph (Federation composes a scalar
 * only when every subgraph declares it the same) and for the gateway's argument check.
 *
 * `Date` is graphql-scalars' LocalDate renamed: the value is the `YYYY-MM-DD` string our entities
 * hold (MikroORM's DateType), checked to be a real day (2025-02-30 is refused).
 */
export const DateScalar = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  name: 'Date',
  description: 'A calendar day as kept in Huludao (China Standard Time, UTC+8), `YYYY-MM-DD` (RFC 3339 full-date), e.g. `2025-03-01`.',
});

/**
 * `DateTime` is graphql-scalars' DateTimeISO renamed: a JS Date answered as its ISO string in UTC,
 * exactly what the fields returned before; accepted with any RFC 3339 offset.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  name: 'DateTime',
  description:
    'An instant, RFC 3339 date-time with an offset: answered in UTC (`2025-03-01T08:30:00.000Z`), accepted with any offset (`2025-03-01T16:30:00+08:00`).',
});

/** The time scalars by name, with what a caller is told when a value is not one. */
export const TIME_SCALARS: ReadonlyMap<string, { scalar: GraphQLScalarType; expected: string }> = new Map([
  [DateScalar.name, { scalar: DateScalar, expected: 'expected a date YYYY-MM-DD' }],
  [DateTimeScalar.name, { scalar: DateTimeScalar, expected: 'expected an RFC 3339 date-time with offset, e.g. 2025-03-01T16:30:00+08:00' }],
]);
