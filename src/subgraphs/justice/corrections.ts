import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { auditWrite } from '../../kit/effects';
import { todayCst } from '../../shared/chinaTime';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { checkCode, checkDate, checkRecordId, checkText } from '../../shared/validate';
import {
  CommunityCorrection,
  CorrectionEvent,
  CorrectionEventKind,
  CorrectionGroupMember,
  CorrectionGroupRole,
  CorrectionStatus,
  PreSentenceAssessment,
} from './entities';
import { CourtCase } from './extends';

/** A correction officer (社区矫正 role) of the justice bureau: the only writer of a correction's file (社区矫正法 art. 8). */
function correctionOfficer(ctx: SubgraphContext): void {
  if (ctx.viewer.agency !== 'justice' || !ctx.viewer.roles.includes('corrections')) throw forbidden('only a correction officer records this');
}

/** A first-instance criminal case number (刑初): only a criminal court commissions an assessment. */
const CRIMINAL_CASE_NO = /^\((19|20)\d{2}\)[\u4e00-\u9fff]\d{2,4}刑初[1-9]\d*号$/;

/** A day of the file: a date, not in the future. */
function pastDay(argument: string, value: string): string {
  const day = checkDate(argument, value);
  if (day > todayCst()) throw badInput(argument, 'not in the future');
  return day;
}

/**
 * One change to a running correction of the officer's district (or in their charge), in one
 * transaction with its file entry and its audit row; NOT_FOUND for a correction they cannot see.
 */
async function changeCorrection(
  ctx: SubgraphContext,
  id: string,
  change: (c: CommunityCorrection, em: EntityManager) => { kind: CorrectionEventKind; occurredOn: string; reason: string | null; field: string },
): Promise<CommunityCorrection> {
  correctionOfficer(ctx);
  const correctionId = checkRecordId('correctionId', id, 'CC');
  return ctx.em.transactional(async (em) => {
    const c = await em.findOne(CommunityCorrection, { id: correctionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!c || !(inJurisdiction(ctx.viewer, c.districtCode) || c.officerId === ctx.viewer.sub)) throw notFound(`community correction ${correctionId}`);
    if (c.status !== CorrectionStatus.ACTIVE) throw badInput('correctionId', `the correction is ${c.status}, not running`);
    const entry = change(c, em);
    if (entry.occurredOn < c.startOn && entry.kind !== CorrectionEventKind.REPORTED) throw badInput('occurredOn', 'before the correction started');
    em.create(CorrectionEvent, { correctionId, kind: entry.kind, occurredOn: entry.occurredOn, reason: entry.reason, officerId: ctx.viewer.sub });
    await em.flush();
    await auditWrite(ctx, {
      entityType: 'CommunityCorrection',
      recordKey: correctionId,
      field: entry.field,
      change: `${entry.kind} ${correctionId} on ${entry.occurredOn}`,
    });
    return c;
  });
}

@Resolver(() => CommunityCorrection)
export class CorrectionFileResolver {
  @Mutation(() => CommunityCorrection, {
    description: 'The person reported to the correction office (报到; 社区矫正法 art. 21: within 10 days of the judgment taking effect).',
  })
  recordCorrectionReport(
    @Arg('correctionId', () => ID, { description: 'The correction (CC…).' }) correctionId: string,
    @Arg('reportedOn', () => DateScalar, { description: 'YYYY-MM-DD, not in the future.' }) reportedOn: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection> {
    const day = pastDay('reportedOn', reportedOn);
    return changeCorrection(ctx, correctionId, (c) => {
      if (c.reportedOn) throw badInput('correctionId', 'the person has reported already');
      c.reportedOn = day;
      return { kind: CorrectionEventKind.REPORTED, occurredOn: day, reason: null, field: 'reportedOn' };
    });
  }

  @Mutation(() => CommunityCorrection, { description: '警告 (社区矫正法实施办法 art. 35): the officer warns the person, stating the conduct.' })
  issueCorrectionWarning(
    @Arg('correctionId', () => ID, { description: 'The correction (CC…).' }) correctionId: string,
    @Arg('issuedOn', () => DateScalar, { description: 'YYYY-MM-DD, not in the future.' }) issuedOn: string,
    @Arg('reason', { description: 'The conduct warned of (2–500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection> {
    const day = pastDay('issuedOn', issuedOn);
    const text = checkText('reason', reason, 2, 500);
    return changeCorrection(ctx, correctionId, () => ({ kind: CorrectionEventKind.WARNING, occurredOn: day, reason: text, field: 'events' }));
  }

  @Mutation(() => CommunityCorrection, {
    description:
      "The court's ruling revoking probation or parole, or ordering prison (撤销缓刑/假释, 收监执行; 社区矫正法 arts. 46–49), recorded by the officer: the correction ends as REVOKED.",
  })
  revokeCorrection(
    @Arg('correctionId', () => ID, { description: 'The correction (CC…).' }) correctionId: string,
    @Arg('ruledOn', () => DateScalar, { description: 'YYYY-MM-DD of the ruling, not in the future.' }) ruledOn: string,
    @Arg('reason', { description: 'The ruling and its ground (2–500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection> {
    const day = pastDay('ruledOn', ruledOn);
    const text = checkText('reason', reason, 2, 500);
    return changeCorrection(ctx, correctionId, (c) => {
      c.status = CorrectionStatus.REVOKED;
      return { kind: CorrectionEventKind.REVOCATION, occurredOn: day, reason: text, field: 'status' };
    });
  }

  @Mutation(() => CommunityCorrection, { description: '解除矫正 (社区矫正法 art. 44): the period is over; on or after its last day.' })
  releaseFromCorrection(
    @Arg('correctionId', () => ID, { description: 'The correction (CC…).' }) correctionId: string,
    @Arg('releasedOn', () => DateScalar, { description: 'YYYY-MM-DD, not in the future, not before the last day of the period.' }) releasedOn: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection> {
    const day = pastDay('releasedOn', releasedOn);
    return changeCorrection(ctx, correctionId, (c) => {
      if (day < c.endOn) throw badInput('releasedOn', `the correction period runs to ${c.endOn}`);
      c.status = CorrectionStatus.COMPLETED;
      return { kind: CorrectionEventKind.RELEASE, occurredOn: day, reason: null, field: 'status' };
    });
  }

  @Mutation(() => CommunityCorrection, { description: 'Adds a member to the correction group (矫正小组, 社区矫正法 art. 25).' })
  async addCorrectionGroupMember(
    @Arg('correctionId', () => ID, { description: 'The correction (CC…).' }) correctionId: string,
    @Arg('role', () => CorrectionGroupRole, { description: 'Who the member is.' }) role: CorrectionGroupRole,
    @Arg('name', { description: "The member's name (1–40 characters)." }) name: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CommunityCorrection> {
    correctionOfficer(ctx);
    const id = checkRecordId('correctionId', correctionId, 'CC');
    const member = checkText('name', name, 1, 40);
    return ctx.em.transactional(async (em) => {
      const c = await em.findOne(CommunityCorrection, { id });
      if (!c || !(inJurisdiction(ctx.viewer, c.districtCode) || c.officerId === ctx.viewer.sub)) throw notFound(`community correction ${id}`);
      if ((await em.count(CorrectionGroupMember, { correctionId: id })) >= 12) throw badInput('correctionId', 'a correction group has at most 12 members');
      em.create(CorrectionGroupMember, { correctionId: id, role, name: member });
      await em.flush();
      await auditWrite(ctx, { entityType: 'CommunityCorrection', recordKey: id, field: 'group', change: `correction group of ${id}: ${role} added` });
      return c;
    });
  }

  @FieldResolver(() => [CorrectionEvent], { nullable: true, description: "The correction's file: report, warnings, revocation, release, in date order." })
  events(@Root() c: CommunityCorrection, @Ctx() ctx: SubgraphContext): Promise<CorrectionEvent[]> {
    return ctx.loaders.many(CorrectionEvent, 'correctionId', { occurredOn: 'asc', id: 'asc' }).load(c.id);
  }

  @FieldResolver(() => [CorrectionGroupMember], { nullable: true, description: 'The correction group (矫正小组).' })
  group(@Root() c: CommunityCorrection, @Ctx() ctx: SubgraphContext): Promise<CorrectionGroupMember[]> {
    return ctx.loaders.many(CorrectionGroupMember, 'correctionId', { id: 'asc' }).load(c.id);
  }
}

@Resolver(() => CourtCase)
export class PreSentenceAssessmentResolver {
  @Mutation(() => PreSentenceAssessment, {
    description:
      "The correction officer's answer to a court's commission (调查评估, 社区矫正法 art. 18): suitable or not, with a short opinion; then the PRE_SENTENCE_ASSESSMENT handoff is completed.",
  })
  answerPreSentenceAssessment(
    @Arg('courtCaseNo', { description: 'The criminal case the court commissioned it for.' }) courtCaseNo: string,
    @Arg('districtCode', { description: "The district (6 digits) of the assessing justice bureau: the defendant's home." }) districtCode: string,
    @Arg('suitable', { description: 'Suitable for community correction.' }) suitable: boolean,
    @Arg('opinion', { description: 'The short opinion (2–1000 characters).' }) opinion: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreSentenceAssessment> {
    correctionOfficer(ctx);
    const caseNo = courtCaseNo.trim().replace('（', '(').replace('）', ')');
    if (!CRIMINAL_CASE_NO.test(caseNo)) throw badInput('courtCaseNo', 'expected a criminal case number such as (2026)辽1402刑初12号');
    const district = checkCode('districtCode', districtCode, 'district');
    if (!inJurisdiction(ctx.viewer, district)) throw forbidden(`district ${district} is outside your jurisdiction`);
    const text = checkText('opinion', opinion, 2, 1000);
    return ctx.em.transactional(async (em) => {
      if (await em.findOne(PreSentenceAssessment, { courtCaseNo: caseNo })) throw badInput('courtCaseNo', 'the case has its assessment already');
      const today = todayCst();
      const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"justice"."pre_sentence_assessment_seq"') as seq`);
      const answer = em.create(PreSentenceAssessment, {
        id: `PA${today.slice(0, 4)}${seq.padStart(6, '0')}`,
        courtCaseNo: caseNo,
        suitable,
        opinion: text,
        answeredOn: today,
        officerId: ctx.viewer.sub,
        districtCode: district,
      });
      await em.flush();
      await auditWrite(ctx, {
        entityType: 'PreSentenceAssessment',
        recordKey: answer.id,
        field: '*',
        change: `pre-sentence assessment ${answer.id} for ${caseNo}`,
      });
      return answer;
    });
  }

  @FieldResolver(() => PreSentenceAssessment, {
    nullable: true,
    description: "The justice bureau's pre-sentence assessment (调查评估) of the case, if commissioned and answered.",
  })
  preSentenceAssessment(@Root() courtCase: CourtCase, @Ctx() ctx: SubgraphContext): Promise<PreSentenceAssessment | null> {
    return ctx.loaders.one(PreSentenceAssessment, 'courtCaseNo').load(courtCase.caseNo);
  }
}
