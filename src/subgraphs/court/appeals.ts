import { LockMode } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import { dueDate } from '../../shared/legalPeriods';
import type { SubgraphContext } from '../../kit/context';
import { auditWrite } from '../../kit/effects';
import { badInput, ErrorCode, forbidden, notFound } from '../../shared/errors';
import { CITY_CODE, INTERMEDIATE_COURT_CODE } from '../../shared/huludao';
import { APPEAL_KINDS, courtUnitCode } from '../../shared/orgUnits';
import { DateScalar } from '../../shared/scalars';
import { checkPastDate } from '../../shared/validate';
import { Appeal, AppealOutcome, Appellant, CourtCase, CourtCaseKind, CourtCaseStatus, CourtInstance, Verdict } from './entities';
import { caseTypeOf, checkCourtCaseNo, nextCaseNo } from './keys';

/*
 * Appeals (二审) at the intermediate court (葫芦岛市中级人民法院, 辽14): a 刑初 judgment is appealed by the
 * defendant (上诉) or protested by the procuratorate (抗诉) as 刑终, a 民初 judgment appealed by a party
 * as 民终. The appeal is a CourtCase of its own, in the district and township of the case it hears,
 * so that whoever sees the first instance sees its appeals (docs/domain.md, "Appeals").
 */

/** What each first-instance kind is appealed as, with the type code of the appeal's number. */
const APPEAL_OF: Partial<Record<CourtCaseKind, { kind: CourtCaseKind; type: string; appellants: readonly Appellant[] }>> = {
  [CourtCaseKind.CRIMINAL]: { kind: CourtCaseKind.CRIMINAL_APPEAL, type: '刑终', appellants: [Appellant.DEFENDANT, Appellant.PROSECUTION] },
  [CourtCaseKind.CIVIL]: { kind: CourtCaseKind.CIVIL_APPEAL, type: '民终', appellants: [Appellant.PARTY] },
};

/** The kinds a first-instance case of `kind` is appealed as, or null when it is not appealable. */
export function appealKindOf(kind: CourtCaseKind): CourtCaseKind | null {
  return APPEAL_OF[kind]?.kind ?? null;
}

/** The type code of an appeal's number: 刑终 or 民终. */
export function appealTypeOf(kind: CourtCaseKind): string {
  const appeal = APPEAL_OF[kind];
  if (!appeal) throw new RangeError(`${kind} is not appealable`);
  return appeal.type;
}

/**
 * Days after a first-instance judgment within which it may be appealed, counted from the day after
 * it was served (taken as its day): 10 for a criminal judgment (刑事诉讼法 art. 230), 15 for a civil
 * one (民事诉讼法 art. 171). Rulings (裁定: 5 and 10 days) are not recorded by the hub.
 */
export const APPEAL_PERIOD_DAYS: Readonly<Partial<Record<CourtCaseKind, number>>> = { [CourtCaseKind.CRIMINAL]: 10, [CourtCaseKind.CIVIL]: 15 };

/** Months the second instance has to decide: two for a criminal appeal (刑事诉讼法 art. 243), three for a civil judgment's (民事诉讼法 art. 183). */
export const SECOND_INSTANCE_MONTHS: Readonly<Partial<Record<CourtCaseKind, number>>> = {
  [CourtCaseKind.CRIMINAL_APPEAL]: 2,
  [CourtCaseKind.CIVIL_APPEAL]: 3,
};

/** Judgments that can be appealed: a court mediation statement (调解书) takes effect when signed and has no appeal (民事诉讼法 art. 101). */
export const APPEALABLE_VERDICTS: readonly Verdict[] = [
  Verdict.GUILTY,
  Verdict.NOT_GUILTY,
  Verdict.CLAIM_UPHELD,
  Verdict.CLAIM_PARTLY_UPHELD,
  Verdict.CLAIM_DISMISSED,
];

export function isAppeal(c: Pick<CourtCase, 'kind'>): boolean {
  return APPEAL_KINDS.includes(c.kind);
}

/** The last day of the second instance's time limit (a rest day moves it to the next working day). */
export function appealDueOn(c: Pick<CourtCase, 'kind' | 'filedOn'>): string | null {
  const months = SECOND_INSTANCE_MONTHS[c.kind];
  return months ? dueDate(c.filedOn, { months }) : null;
}

/** The appeal of a first-instance judgment as the intermediate court files it: in the first instance's district and township, sealed as it is. */
export function appealCase<F extends Pick<CourtCase, 'caseNo' | 'filedOn' | 'judgeId' | 'status' | 'concludedOn' | 'appellant' | 'appealOutcome'>>(
  first: Pick<CourtCase, 'caseNo' | 'kind' | 'districtCode' | 'townshipCode' | 'sealed' | 'cause'>,
  fields: F,
) {
  const kind = appealKindOf(first.kind)!;
  return {
    ...fields,
    kind,
    courtCode: INTERMEDIATE_COURT_CODE,
    districtCode: first.districtCode,
    townshipCode: first.townshipCode,
    unitCode: courtUnitCode(kind, first.districtCode, first.townshipCode),
    sealed: first.sealed,
    cause: first.cause,
    amountYuan: null,
    prosecutionCaseNo: null,
    mediationCaseId: null,
    verdict: null,
    appealOfCaseNo: first.caseNo,
  };
}

@InputType({ description: 'An appeal (上诉) or protest (抗诉) of a first-instance judgment, as the intermediate court files it (立案).' })
class FileAppealInput {
  @Field(() => String, { description: 'The first-instance case (刑初 or 民初) whose judgment is appealed.' })
  caseNo!: string;

  @Field(() => Appellant, { description: 'DEFENDANT or PROSECUTION for a criminal judgment, PARTY for a civil one.' })
  by!: Appellant;

  @Field(() => DateScalar, { description: 'Day the appeal was lodged, YYYY-MM-DD: within the appeal period after the judgment, not in the future.' })
  filedOn!: string;
}

@InputType({ description: 'The decision of a second-instance case (二审).' })
class DecideAppealInput {
  @Field(() => String, { description: 'The appeal (刑终 or 民终), e.g. `(2026)辽14刑终500012号`.' })
  caseNo!: string;

  @Field(() => AppealOutcome, { description: 'UPHELD, AMENDED, REMANDED (the first instance is tried again) or WITHDRAWN.' })
  outcome!: AppealOutcome;

  @Field(() => DateScalar, { description: 'Day of the decision, YYYY-MM-DD: not before the filing, not in the future.' })
  decidedOn!: string;
}

function invalidStep(step: string, state: string, message: string): GraphQLError {
  return new GraphQLError(`${step}: ${message}`, { extensions: { code: ErrorCode.InvalidTransition, state, step } });
}

/** The intermediate court's judges carry the city-wide court token (`city` role, jurisdiction 211400): the hub has no court identity of its own for it. */
function requireIntermediateCourt(ctx: SubgraphContext): void {
  if (!inJurisdiction(ctx.viewer, CITY_CODE))
    throw forbidden("appeals are filed and decided by the intermediate court: a court judge with the city's jurisdiction (211400)");
}

@Resolver(() => CourtCase)
export class CourtAppealResolver {
  @FieldResolver(() => CourtInstance, { nullable: true, description: 'FIRST (一审) or SECOND (二审, an appeal), by the kind of the case.' })
  instance(@Root() c: CourtCase): CourtInstance {
    return isAppeal(c) ? CourtInstance.SECOND : CourtInstance.FIRST;
  }

  @FieldResolver(() => Appeal, {
    nullable: true,
    description: 'Second-instance cases: who appealed, the time limit and the outcome; null for a first instance.',
  })
  appeal(@Root() c: CourtCase): Appeal | null {
    if (!isAppeal(c)) return null;
    return { appellant: c.appellant ?? null, dueOn: appealDueOn(c), outcome: c.appealOutcome ?? null, decidedOn: c.appealOutcome ? c.concludedOn : null };
  }

  @FieldResolver(() => CourtCase, { nullable: true, description: 'Second-instance cases: the first-instance case (刑初, 民初) whose judgment is appealed.' })
  appealOf(@Root() c: CourtCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> | null {
    return c.appealOfCaseNo ? ctx.loaders.one(CourtCase, 'caseNo').load(c.appealOfCaseNo) : null;
  }

  @FieldResolver(() => [CourtCase], {
    nullable: true,
    description: 'The appeals (二审) of this case, oldest first: more than one only after a retrial (发回重审).',
  })
  appeals(@Root() c: CourtCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase[]> {
    return ctx.loaders.many(CourtCase, 'appealOfCaseNo', { filedOn: 'asc', caseNo: 'asc' }).load(c.caseNo);
  }

  @Mutation(() => CourtCase, {
    description:
      'The intermediate court files (立案) the appeal or protest of a first-instance judgment as a 刑终 or 民终 case, its judge presiding; within the appeal period, one open appeal per judgment; one transaction, audited.',
  })
  async fileAppeal(
    @Arg('input', () => FileAppealInput, { description: 'The judgment appealed, by whom, and when.' }) input: FileAppealInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CourtCase> {
    const caseNo = checkCourtCaseNo('input.caseNo', input.caseNo);
    const filedOn = checkPastDate('input.filedOn', input.filedOn);
    requireIntermediateCourt(ctx);
    return ctx.em.transactional(async (em) => {
      // Locked: a second appeal of the same judgment waits for this one and then sees it open.
      const first = await em.findOne(CourtCase, { caseNo }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!first || !inJurisdiction(ctx.viewer, first.townshipCode)) throw notFound(`court case ${caseNo}`);
      const appeal = APPEAL_OF[first.kind];
      if (!appeal) throw badInput('input.caseNo', 'a 刑初 or 民初 judgment is appealed: 民特 and 执 have no appeal, and a 二审 judgment is final (两审终审)');
      if (!appeal.appellants.includes(input.by)) throw badInput('input.by', `a ${first.kind} judgment is appealed by ${appeal.appellants.join(' or ')}`);
      if (first.status !== CourtCaseStatus.CONCLUDED || !first.verdict || !APPEALABLE_VERDICTS.includes(first.verdict))
        throw invalidStep(
          'fileAppeal',
          first.verdict ?? first.status,
          'the case has no judgment to appeal (still open, or concluded by a mediation statement)',
        );
      const earlier = await em.find(CourtCase, { appealOfCaseNo: caseNo }, { orderBy: { filedOn: 'asc' } });
      const open = earlier.find((a) => !a.appealOutcome);
      // Both sides' appeals of one judgment are heard in one second instance: a later one joins it, it is not a second case.
      if (open)
        throw new GraphQLError(`${open.caseNo} is already open on this judgment (appealed by ${open.appellant})`, {
          extensions: { code: ErrorCode.Conflict, caseNo: open.caseNo },
        });
      const decided = earlier.find((a) => a.appealOutcome !== AppealOutcome.REMANDED);
      if (decided) throw invalidStep('fileAppeal', decided.appealOutcome!, `the judgment is final: ${decided.caseNo} decided the appeal (两审终审)`);
      const judgedOn = first.concludedOn!;
      if (filedOn < judgedOn) throw badInput('input.filedOn', 'before the judgment');
      const days = APPEAL_PERIOD_DAYS[first.kind]!;
      // The period's last day moves past a rest day, as every legal period's does.
      const lastDay = dueDate(judgedOn, { days });
      if (filedOn > lastDay)
        throw new GraphQLError(
          `the appeal period of ${days} days after the judgment of ${judgedOn} ended on ${lastDay} (刑事诉讼法 art. 230, 民事诉讼法 art. 171)`,
          {
            extensions: { code: ErrorCode.LegalLimit },
          },
        );
      const created = em.create(
        CourtCase,
        appealCase(first, {
          caseNo: await nextCaseNo(em, INTERMEDIATE_COURT_CODE, filedOn, appeal.type),
          filedOn,
          judgeId: ctx.viewer.sub,
          status: CourtCaseStatus.FILED,
          concludedOn: null,
          appellant: input.by,
          appealOutcome: null,
        }),
      );
      await em.flush();
      await auditWrite(ctx, { entityType: 'CourtCase', recordKey: created.caseNo, field: '*', change: `fileAppeal of ${caseNo} by ${input.by}` });
      return created;
    });
  }

  @Mutation(() => CourtCase, {
    description:
      'The presiding judge of an appeal records its decision; REMANDED reopens the first instance for retrial (its judgment set aside). One transaction, audited.',
  })
  async decideAppeal(
    @Arg('input', () => DecideAppealInput, { description: 'The appeal and its outcome.' }) input: DecideAppealInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CourtCase> {
    const caseNo = checkCourtCaseNo('input.caseNo', input.caseNo);
    if (!Object.values(APPEAL_OF).some((a) => a.type === caseTypeOf(caseNo)))
      throw badInput('input.caseNo', 'expected an appeal number such as (2026)辽14刑终12号');
    const decidedOn = checkPastDate('input.decidedOn', input.decidedOn);
    return ctx.em.transactional(async (em) => {
      const appeal = await em.findOne(CourtCase, { caseNo }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!appeal || !isAppeal(appeal) || !inJurisdiction(ctx.viewer, appeal.townshipCode)) throw notFound(`appeal ${caseNo}`);
      if (appeal.judgeId !== ctx.viewer.sub) throw forbidden('only the presiding judge decides the appeal');
      if (appeal.appealOutcome) throw invalidStep('decideAppeal', appeal.appealOutcome, `decided on ${appeal.concludedOn} already`);
      if (decidedOn < appeal.filedOn) throw badInput('input.decidedOn', 'before the appeal was filed');
      Object.assign(appeal, { appealOutcome: input.outcome, concludedOn: decidedOn, status: CourtCaseStatus.CONCLUDED });
      const remanded = input.outcome === AppealOutcome.REMANDED;
      if (remanded) {
        // 发回重审 (刑事诉讼法 art. 236, 民事诉讼法 art. 177): the judgment is set aside and the basic court tries the case again under its number.
        const first = await em.findOneOrFail(CourtCase, { caseNo: appeal.appealOfCaseNo! }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        Object.assign(first, {
          status: CourtCaseStatus.FILED,
          concludedOn: null,
          verdict: null,
          sentenceMonths: null,
          probation: null,
          communitySentence: null,
        });
      }
      await em.flush();
      await auditWrite(ctx, { entityType: 'CourtCase', recordKey: caseNo, field: 'appeal', change: `decideAppeal ${caseNo}: ${input.outcome}` });
      if (remanded)
        await auditWrite(ctx, {
          entityType: 'CourtCase',
          recordKey: appeal.appealOfCaseNo!,
          field: 'judgment',
          change: `judgment set aside, remanded for retrial by ${caseNo}`,
        });
      return appeal;
    });
  }
}
