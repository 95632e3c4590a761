import { Field, ObjectType } from 'type-graphql';
import type { SubgraphContext } from '../kit/context';
import { publishFigures, type CountRow, type Figures, type Measure } from './suppression';

/*
 * Published figures: what a viewer gets of a department's counts (exact, or suppressed for the
 * agencies the policy names), and the statistics objects built from them.
 */

/**
 * What every statistics object carries besides its counts: which of them were withheld. Decorated
 * only so that type-graphql passes the field on to subclasses; never referenced, never in a schema.
 */
@ObjectType()
export abstract class Aggregate {
  @Field(() => [String], {
    description:
      "Counts of this object withheld as null because they are small (from 1 to the policy's threshold − 1), would give a small one away through a total, or are not released at this level or period (a measure released per year only, asked for months or townships); only for the aggregate-only agencies of the policy (analyst, oversight). Empty when nothing is withheld.",
  })
  suppressedFields!: string[];
}

/** A department's statistics object from published figures. */
export function aggregate<T extends Aggregate, M extends string>(type: new () => T, figures: Figures<M>): T {
  return Object.assign(new type(), figures.values, { suppressedFields: [...figures.suppressed] });
}

/**
 * A district statistic's count under a flow stage's name. A stage that counts the same thing as a
 * statistic (cases filed, disputes reported in a division and range) takes the statistic's
 * published figure, so that the two suppress alike and one cannot give the other away.
 */
export function sameAs<N extends string>(figures: Figures<string>, measure: string, name: N): Figures<N> {
  return { values: { [name]: figures.values[measure] } as Record<N, number | null>, suppressed: figures.suppressed.includes(measure) ? [name] : [] };
}

/** Figures of one object from several sources. */
export function mergeFigures<A extends string, B extends string>(a: Figures<A>, b: Figures<B>): Figures<A | B> {
  return { values: { ...a.values, ...b.values }, suppressed: [...a.suppressed, ...b.suppressed] };
}

/** Publishes counts to the viewer: suppressed for the agencies the policy names, exact for the others. */
export function publish<M extends string>(
  ctx: SubgraphContext,
  rows: readonly CountRow<M>[],
  measures: readonly Measure<M>[],
  requested: ReadonlyArray<{ code: string; month: string | null }>,
): Array<Figures<M>> {
  return publishFigures(rows, measures, requested, ctx.policy.suppressionFor(ctx.viewer.agency));
}

/**
 * A ratio of two published figures (× `scale`): withheld (null, and named) with either of them, so
 * it gives away no withheld count; null, unnamed, when the denominator is zero.
 */
export function ratio<N extends string>(numerator: number | null, denominator: number | null, name: N, scale = 1): Figures<N> {
  const withheld = numerator === null || denominator === null;
  return {
    values: { [name]: withheld || denominator === 0 ? null : (numerator * scale) / denominator } as Record<N, number | null>,
    suppressed: withheld ? [name] : [],
  };
}

/** A rate per 10,000 residents (万人率) from two published figures (`ratio`): null when there are no residents. */
export function perTenThousand<N extends string>(count: number | null, residents: number | null, name: N): Figures<N> {
  return ratio(count, residents, name, 10_000);
}
