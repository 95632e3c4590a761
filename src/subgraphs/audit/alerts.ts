import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ALERT_KINDS, findAlerts } from '../../audit/alerts';
import type { SubgraphContext } from '../../kit/context';
import { alertThresholds } from '../../shared/config';
import { badInput } from '../../shared/errors';
import { checkDateRange } from '../../shared/validate';
import { AccessRecord } from './entities';

const DAY_MS = 86_400_000;
/** The longest period one alerts query looks at (each kind is one grouped scan of it). */
export const MAX_ALERT_PERIOD_DAYS = 31;

@ObjectType({ description: 'Something oversight should look at, with the trail rows behind it.' })
export class AccessAlert {
  @Field({ description: `${ALERT_KINDS.join(', ')}.` })
  kind!: string;

  @Field({ description: 'The officer (token subject).' })
  subject!: string;

  @Field({ description: 'The agency of the officer the alert is about.' })
  agency!: string;

  @Field(() => String, { nullable: true, description: 'repeatedReads: the person read again and again (their person key).' })
  entityId!: string | null;

  @Field(() => Int, { description: 'How many looks (people, records or requests, by kind) the alert counts.' })
  count!: number;

  @Field(() => Date, { description: 'When the first look behind the alert happened.' })
  firstAt!: Date;

  @Field(() => Date, { description: 'When the last look behind the alert happened.' })
  lastAt!: Date;

  /** The newest rows behind the alert. */
  seqs!: string[];
}

@Resolver(() => AccessAlert)
export class AccessAlertResolver {
  @Query(() => [AccessAlert], {
    description: 'Alerts over the audit trail in a period (default: the last 24 hours, at most 31 days), most looks first (oversight only).',
  })
  async accessAlerts(
    @Arg('from', () => Date, { nullable: true, description: 'Start of the period, inclusive.' }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true, description: 'End of the period, exclusive.' }) to: Date | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccessAlert[]> {
    checkDateRange(from, to);
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - DAY_MS);
    if (end.getTime() - start.getTime() > MAX_ALERT_PERIOD_DAYS * DAY_MS) throw badInput('from', `the period may span at most ${MAX_ALERT_PERIOD_DAYS} days`);
    const connection = ctx.em.getConnection();
    // The alert SQL numbers its parameters (pg); MikroORM binds `?` in order.
    const alerts = await findAlerts(
      (sql, params) => {
        const bound: unknown[] = [];
        return connection.execute(
          sql.replace(/\$(\d+)/g, (_, n: string) => (bound.push(params[Number(n) - 1]), '?')),
          bound,
        );
      },
      start,
      end,
      alertThresholds(),
    );
    return alerts.map((a) => Object.assign(new AccessAlert(), a));
  }

  @FieldResolver(() => [AccessRecord], { description: 'The trail rows behind the alert, newest first (at most 50).' })
  async records(@Root() alert: AccessAlert, @Ctx() ctx: SubgraphContext): Promise<AccessRecord[]> {
    return ctx.em.find(AccessRecord, { seq: { $in: alert.seqs } }, { orderBy: { seq: 'desc' } });
  }
}
