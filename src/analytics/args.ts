import { ArgsType, Field } from 'type-graphql';

/** The range arguments of every department's district statistics and of the flows. */
@ArgsType()
export class DayRangeArgs {
  @Field(() => String, { nullable: true, description: 'First day counted (YYYY-MM-DD).' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Last day counted (YYYY-MM-DD).' })
  to?: string;
}
