import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { badInput, ErrorCode } from '../../shared/errors';
import { checkDateRange } from '../../shared/validate';
import { GraphQLError } from 'graphql';

@ObjectType({ description: 'One request in which an agency looked at you: when, which agency, why, and what (the officer is not named).' })
export class AccessReportEntry {
  @Field(() => Date, { description: 'When the look happened.' })
  at!: Date;

  @Field({ description: 'The agency that looked (police, court, …).' })
  agency!: string;

  @Field(() => String, { nullable: true, description: 'The purpose the officer stated, e.g. a case number.' })
  purpose!: string | null;

  @Field(() => [String], { description: 'The departments whose records about you were read.' })
  departments!: string[];

  @Field(() => [String], { description: 'What was read about you (e.g. name, phone, policeRecords); denied fields are not listed.' })
  data!: string[];
}

interface EntryRow {
  at: Date;
  agency: string;
  purpose: string | null;
  departments: string[];
  seen: string[];
  /** The fields selected on the record, space-separated (its "looked up" row). */
  looked: string | null;
}

const MAX_ENTRIES = 100;

@Resolver(() => AccessReportEntry)
export class AccessReportResolver {
  /**
   * The X-Road / Data Tracker idea: a resident reads who looked at them. Only their own person key
   * (from the ID number in their token); requests that touched any sealed record are never shown;
   * lookups whose purpose names a case the handling department holds open (`audit.disclosure_hold`)
   * are shown once it releases the case.
   */
  @Query(() => [AccessReportEntry], { description: 'Who looked at you, newest first (citizens only; officers not named).' })
  async myAccessReport(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'How many entries, newest first.' }) first: number,
    @Arg('before', () => Date, { nullable: true, description: 'Entries before this time (the `at` of the last entry of the previous page).' })
    before: Date | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccessReportEntry[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_ENTRIES) throw badInput('first', `expected 1 to ${MAX_ENTRIES}`);
    checkDateRange(before, undefined, { from: 'before', to: 'before' });
    const idNumber = ctx.viewer.idNumber;
    if (ctx.viewer.agency !== 'citizen' || !idNumber)
      throw new GraphQLError('only a citizen token carrying an ID number has an access report', { extensions: { code: ErrorCode.ForbiddenField } });
    const rows = await ctx.em.getConnection().execute<EntryRow[]>(
      `select min(l.at) as at, min(l.agency) as agency, min(l.purpose) as purpose, array_agg(distinct l.chain) as departments,
              array_remove(array_agg(distinct case when l.field <> '*' and l.decision <> 'deny' then l.field end), null) as seen,
              (array_agg(array_to_string(l.fields, ' ')) filter (where l.field = '*'))[1] as looked
       from audit.access_log l
       where l.entity_type = 'Person' and l.entity_id = ? and l.at < ?
         and not exists (select 1 from audit.access_log s where s.request_id = l.request_id and s.sealed)
         and not exists (select 1 from audit.disclosure_hold h where h.released_at is null and strpos(coalesce(l.purpose, ''), h.case_no) > 0)
       group by l.request_id
       order by min(l.at) desc
       limit ?`,
      [ctx.personKey(idNumber), before ?? new Date(), first],
    );
    return rows.map((r) =>
      Object.assign(new AccessReportEntry(), {
        at: new Date(r.at),
        agency: r.agency,
        purpose: r.purpose,
        departments: r.departments,
        data: r.seen.length ? r.seen : (r.looked ?? '').split(' ').filter((f) => f && f !== 'id'),
      }),
    );
  }
}
