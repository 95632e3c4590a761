import { LockMode } from '@mikro-orm/core';
import { Arg, Ctx, Field, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { auditWrite } from '../../kit/effects';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { todayCst } from '../../shared/chinaTime';
import { checkDate } from '../../shared/validate';
import { checkCourtCaseNo } from './keys';
import { CommunitySentence, CourtCase, CourtCaseKind, CourtCaseStatus, Verdict } from './entities';

@InputType({ description: 'A criminal judgment (刑事判决) as the presiding judge records it.' })
class CriminalJudgmentInput {
  @Field(() => String, { description: 'The criminal case (刑初) judged.' })
  caseNo!: string;

  @Field(() => Verdict, { description: 'GUILTY or NOT_GUILTY.' })
  verdict!: Verdict;

  @Field(() => Int, { nullable: true, description: 'The term in months (prison, 拘役 or 管制); guilty verdicts only.' })
  sentenceMonths?: number | null;

  @Field(() => CommunitySentence, {
    nullable: true,
    description: 'The sentence served in the community (缓刑, 管制 …), if any; it is handed over to the justice bureau.',
  })
  communitySentence?: CommunitySentence | null;

  @Field(() => DateScalar, { description: 'The day of the judgment, YYYY-MM-DD, not in the future.' })
  judgedOn!: string;
}

/** The court's own writes: the judgment that concludes a criminal case. */
@Resolver()
export class CourtJudgmentResolver {
  @Mutation(() => CourtCase, {
    description: "The presiding judge records the judgment of a criminal case of their court's district; written and audited in one transaction.",
  })
  async recordCriminalJudgment(
    @Arg('input', () => CriminalJudgmentInput, { description: 'The judgment.' }) input: CriminalJudgmentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CourtCase> {
    const caseNo = checkCourtCaseNo('input.caseNo', input.caseNo);
    const judgedOn = checkDate('input.judgedOn', input.judgedOn);
    if (judgedOn > todayCst()) throw badInput('input.judgedOn', 'a judgment is recorded on or after its day');
    if (input.verdict !== Verdict.GUILTY && input.verdict !== Verdict.NOT_GUILTY) throw badInput('input.verdict', 'a criminal verdict is GUILTY or NOT_GUILTY');
    const guilty = input.verdict === Verdict.GUILTY;
    const months = input.sentenceMonths ?? null;
    if (months !== null && (!guilty || months < 1 || months > 300))
      throw badInput('input.sentenceMonths', 'a term of 1 to 300 months, for a guilty verdict only');
    if (input.communitySentence && !guilty) throw badInput('input.communitySentence', 'only a guilty verdict carries a sentence');
    return ctx.em.transactional(async (em) => {
      const trial = await em.findOne(CourtCase, { caseNo }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!trial || trial.kind !== CourtCaseKind.CRIMINAL || !inJurisdiction(ctx.viewer, trial.townshipCode)) throw notFound(`criminal case ${caseNo}`);
      if (trial.judgeId !== ctx.viewer.sub) throw forbidden('only the presiding judge records the judgment');
      if (trial.status === CourtCaseStatus.CONCLUDED) throw badInput('input.caseNo', 'the case is concluded already');
      if (judgedOn < trial.filedOn) throw badInput('input.judgedOn', 'before the case was filed');
      Object.assign(trial, {
        verdict: input.verdict,
        sentenceMonths: months,
        probation: input.communitySentence === CommunitySentence.PROBATION,
        communitySentence: input.communitySentence ?? null,
        concludedOn: judgedOn,
        status: CourtCaseStatus.CONCLUDED,
      });
      await em.flush();
      await auditWrite(ctx, {
        entityType: 'CourtCase',
        recordKey: caseNo,
        field: 'judgment',
        change: `recordCriminalJudgment ${caseNo}: ${input.verdict}${input.communitySentence ? ` ${input.communitySentence}` : ''}`,
      });
      return trial;
    });
  }
}
