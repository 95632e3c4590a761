import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, InputType, ObjectType, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { badInput } from '../../shared/errors';
import { checkDateRange, checkIdNumber, checkOneOf, checkText, checkTypeName } from '../../shared/validate';
import { AGENCIES } from '../../auth/viewer';
import { BREAK_GLASS_MARK } from '../../policy/enforce';
import { AccessRecord } from './entities';

@ObjectType({ description: 'A page of audit trail rows (Relay connection).' })
class AccessRecordConnection extends ConnectionType(AccessRecord, 'AccessRecord') {}

@InputType({ description: 'Filters of the audit trail; all optional, combined with AND.' })
class AccessLogFilter {
  @Field(() => String, { nullable: true, description: "A citizen's ID number: who looked at this person (only its person key is searched)." })
  idNumber?: string;

  @Field(() => String, { nullable: true, description: 'A record key: a person key, case number or id.' })
  entityId?: string;

  @Field(() => String, { nullable: true, description: 'Only rows about records of this GraphQL type, e.g. `Person`.' })
  entityType?: string;

  @Field(() => String, { nullable: true, description: 'An officer (token subject): what they looked at.' })
  subject?: string;

  @Field(() => String, { nullable: true, description: 'Only looks by officers of this agency.' })
  agency?: string;

  @Field(() => String, { nullable: true, description: 'allow, mask or deny.' })
  decision?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only the accesses opened by break-glass (x-break-glass), with the reason given: oversight reviews each.',
  })
  breakGlass?: boolean;

  @Field(() => Date, { nullable: true, description: 'Rows written at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Rows written before this time.' })
  to?: Date;
}

const DECISIONS = ['allow', 'mask', 'deny'];
/** The longest period one filter may name (months are partitions: a longer one reads too many). */
const MAX_PERIOD_DAYS = 366;

@Resolver(() => AccessRecord)
export class AccessLogResolver {
  @Query(() => AccessRecordConnection, { description: 'The audit trail, newest first (oversight only).' })
  async accessLog(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AccessLogFilter, { nullable: true, description: 'Which rows; all filters optional, combined with AND.' })
    filter: AccessLogFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccessRecordConnection> {
    const where: FilterQuery<AccessRecord>[] = [];
    if (filter?.idNumber) where.push({ entityId: ctx.personKey(checkIdNumber('filter.idNumber', filter.idNumber)) });
    if (filter?.entityId) where.push({ entityId: checkText('filter.entityId', filter.entityId, 1, 100) });
    if (filter?.entityType) where.push({ entityType: checkTypeName('filter.entityType', filter.entityType) });
    if (filter?.subject) where.push({ subject: checkText('filter.subject', filter.subject, 1, 200) });
    if (filter?.agency) where.push({ agency: checkOneOf('filter.agency', filter.agency, AGENCIES) });
    if (filter?.decision) {
      if (!DECISIONS.includes(filter.decision)) throw badInput('filter.decision', `expected one of ${DECISIONS.join(', ')}`);
      where.push({ decision: filter.decision });
    }
    if (filter?.breakGlass) where.push({ reason: { $like: `%${BREAK_GLASS_MARK}%` } });
    checkDateRange(filter?.from, filter?.to, { from: 'filter.from', to: 'filter.to' });
    if (filter?.from && filter.to && filter.to.getTime() - filter.from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw badInput('filter.from', `the period may span at most ${MAX_PERIOD_DAYS} days`);
    }
    if (filter?.from) where.push({ at: { $gte: filter.from } });
    if (filter?.to) where.push({ at: { $lt: filter.to } });
    return paginate(ctx, AccessRecord, { $and: where }, page, { columns: ['seq'], direction: 'desc' });
  }
}
