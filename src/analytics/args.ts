import { ArgsType, Field } from 'type-graphql';
import { DateScalar } from '../shared/scalars';

/** The range arguments of every department's district statistics and of the flows. */
@ArgsType()
export class DayRangeArgs {
  @Field(() => DateScalar, { nullable: true, description: 'First day counted (YYYY-MM-DD).' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day counted (YYYY-MM-DD).' })
  to?: string;
}
