import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { inJurisdiction } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { auditWrite } from '../../kit/effects';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { badInput, ErrorCode, notFound } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { checkCode, checkPastDate, checkPersonKey, checkText } from '../../shared/validate';
import { DISTRICTS } from '../../shared/huludao';
import { courtUnitCode } from '../../shared/orgUnits';
import { dueDate } from '../../shared/legalPeriods';
import { CourtCase, CourtCaseKind, CourtCaseStatus, CourtParty, CourtPartyRole, PreLitigationMediationOutcome, Verdict } from './entities';
import { Person } from './extends';
import { checkCourtCaseNo, nextCaseNo } from './keys';
import { CONFIRMATION_APPLICATION_DAYS, PRE_LITIGATION_DAYS, PreLitigationMediationCase, PreLitigationStatus } from './preLitigation';

@ObjectType({ description: 'A page of pre-litigation mediations (Relay connection).' })
class PreLitigationMediationCaseConnection extends ConnectionType(PreLitigationMediationCase, 'PreLitigationMediationCase') {}

@InputType({ description: "The court delegates a civil dispute, before filing, to a people's mediation point (委派调解)." })
class DelegatePreLitigationInput {
  @Field(() => String, { description: 'Township (9 digits) where the dispute arose; inside the caller’s jurisdiction.' })
  townshipCode!: string;

  @Field(() => String, { description: 'Cause of action (案由), 2–60 characters.' })
  cause!: string;

  @Field(() => String, { description: 'Person key of the applicant.' })
  applicantId!: string;

  @Field(() => String, { description: 'Person key of the other party.' })
  respondentId!: string;

  @Field(() => String, { description: 'The mediation point (committee) it is delegated to, e.g. `mp-…`.' })
  mediationPointId!: string;

  @Field(() => DateScalar, { description: 'Day of the delegation, YYYY-MM-DD, not in the future.' })
  delegatedOn!: string;

  @Field(() => Int, { nullable: true, description: 'Days the parties agreed to add to the 30-day term (0–60).' })
  extensionDays?: number | null;
}

@InputType({ description: 'The mediation point records how a delegated mediation ended.' })
class PreLitigationOutcomeInput {
  @Field(() => String, { description: 'The 诉前调 number.' })
  caseNo!: string;

  @Field(() => PreLitigationMediationOutcome, { description: 'SETTLED (agreement) or FAILED.' })
  outcome!: PreLitigationMediationOutcome;

  @Field(() => DateScalar, { description: 'Day it ended, YYYY-MM-DD; an agreement within the term.' })
  endedOn!: string;

  @Field(() => String, { nullable: true, description: 'The agreement text (调解协议), required when SETTLED.' })
  agreement?: string | null;
}

@InputType({ description: 'The court rules on the application for 司法确认 of a settled pre-litigation mediation (民特).' })
class ConfirmPreLitigationInput {
  @Field(() => String, { description: 'The 诉前调 number.' })
  caseNo!: string;

  @Field(() => DateScalar, { description: 'Day the parties applied, within 30 days of the agreement (民事诉讼法 art. 205).' })
  appliedOn!: string;

  @Field(() => DateScalar, { description: 'Day of the ruling, YYYY-MM-DD, not before the application nor in the future.' })
  ruledOn!: string;
}

@InputType({ description: 'The court files (立案) the lawsuit of a failed pre-litigation mediation as 民初.' })
class FilePreLitigationInput {
  @Field(() => String, { description: 'The 诉前调 number.' })
  caseNo!: string;

  @Field(() => DateScalar, { description: 'Day of filing, YYYY-MM-DD, not before the mediation ended nor in the future.' })
  filedOn!: string;
}

function illegalStep(record: PreLitigationMediationCase, step: string): GraphQLError {
  return new GraphQLError(`${step}: the pre-litigation mediation is ${record.status}`, {
    extensions: { code: ErrorCode.InvalidTransition, state: record.status, step },
  });
}

/** The record, locked, inside the caller's jurisdiction; NOT_FOUND outside (as the look-up). */
async function lockedRecord(em: EntityManager, ctx: SubgraphContext, caseNo: string): Promise<PreLitigationMediationCase> {
  const record = await em.findOne(PreLitigationMediationCase, { caseNo }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!record || !inJurisdiction(ctx.viewer, record.townshipCode)) throw notFound(`pre-litigation mediation ${caseNo}`);
  return record;
}

function checkPreLitigationNo(argument: string, value: string): string {
  const caseNo = checkCourtCaseNo(argument, value);
  if (!caseNo.includes('民诉前调')) throw badInput(argument, 'expected a 诉前调解 number such as (2025)辽1402民诉前调123号');
  return caseNo;
}

/** A court case made from the record: the parties as the procedure names them. */
function caseOf(
  em: EntityManager,
  record: PreLitigationMediationCase,
  fields: Partial<CourtCase> & Pick<CourtCase, 'caseNo' | 'kind' | 'filedOn' | 'status'>,
): CourtCase {
  const roles =
    fields.kind === CourtCaseKind.CIVIL ? [CourtPartyRole.PLAINTIFF, CourtPartyRole.DEFENDANT] : [CourtPartyRole.APPLICANT, CourtPartyRole.APPLICANT];
  em.create(CourtParty, { caseNo: fields.caseNo, personId: record.applicantId, role: roles[0] });
  em.create(CourtParty, { caseNo: fields.caseNo, personId: record.respondentId, role: roles[1] });
  return em.create(CourtCase, {
    courtCode: record.courtCode,
    districtCode: record.districtCode,
    townshipCode: record.townshipCode,
    unitCode: courtUnitCode(fields.kind, record.districtCode, record.townshipCode),
    concludedOn: null,
    sealed: false,
    judgeId: record.judgeId,
    cause: record.cause,
    amountYuan: null,
    prosecutionCaseNo: null,
    mediationCaseId: null,
    verdict: null,
    ...fields,
  });
}

@Resolver(() => PreLitigationMediationCase)
export class PreLitigationResolver {
  @Query(() => PreLitigationMediationCase, { nullable: true, description: 'One pre-litigation mediation by its number, e.g. `(2025)辽1402民诉前调123号`.' })
  preLitigationMediationCase(
    @Arg('caseNo', { description: 'The 诉前调解 number.' }) caseNo: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCase | null> {
    return ctx.loaders.one(PreLitigationMediationCase, 'caseNo').load(checkPreLitigationNo('caseNo', caseNo));
  }

  @Query(() => PreLitigationMediationCaseConnection, { description: 'Pre-litigation mediations of a division, newest delegation first.' })
  preLitigationMediationCases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('divisionCode', () => String, { nullable: true, description: 'A district (6 digits) or township (9 digits) code.' }) divisionCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCaseConnection> {
    const where: FilterQuery<PreLitigationMediationCase>[] = [rowScope<PreLitigationMediationCase>(ctx, 'PreLitigationMediationCase')];
    if (divisionCode) where.push({ townshipCode: { $like: `${checkCode('divisionCode', divisionCode, 'division')}%` } });
    return paginate(ctx, PreLitigationMediationCase, { $and: where }, page, { columns: ['delegatedOn', 'caseNo'], direction: 'desc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The applicant (resolved by the grid department).' })
  applicant(@Root() record: PreLitigationMediationCase): Person {
    return Object.assign(new Person(), { id: record.applicantId });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The other party (resolved by the grid department).' })
  respondent(@Root() record: PreLitigationMediationCase): Person {
    return Object.assign(new Person(), { id: record.respondentId });
  }

  @FieldResolver(() => CourtCase, { nullable: true, description: 'The 民特 ruling that confirmed the agreement (司法确认), if any.' })
  judicialConfirmation(@Root() record: PreLitigationMediationCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> | null {
    return record.confirmationCaseNo ? ctx.loaders.one(CourtCase, 'caseNo').load(record.confirmationCaseNo) : null;
  }

  @FieldResolver(() => CourtCase, { nullable: true, description: 'The 民初 lawsuit filed after the mediation failed, if any.' })
  lawsuit(@Root() record: PreLitigationMediationCase, @Ctx() ctx: SubgraphContext): Promise<CourtCase | null> | null {
    return record.lawsuitCaseNo ? ctx.loaders.one(CourtCase, 'caseNo').load(record.lawsuitCaseNo) : null;
  }

  @Mutation(() => PreLitigationMediationCase, {
    description:
      "A judge or clerk delegates a civil dispute of their court's district to a mediation point before filing (委派调解); one transaction, audited.",
  })
  async delegatePreLitigationMediation(
    @Arg('input', () => DelegatePreLitigationInput, { description: 'The dispute and where it goes.' }) input: DelegatePreLitigationInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCase> {
    const townshipCode = checkCode('input.townshipCode', input.townshipCode, 'township');
    if (!inJurisdiction(ctx.viewer, townshipCode)) throw badInput('input.townshipCode', "outside the court's district");
    const district = DISTRICTS.find((d) => d.code === townshipCode.slice(0, 6));
    if (!district) throw badInput('input.townshipCode', 'no district court for it');
    const cause = checkText('input.cause', input.cause, 2, 60);
    const applicantId = checkPersonKey('input.applicantId', input.applicantId);
    const respondentId = checkPersonKey('input.respondentId', input.respondentId);
    if (applicantId === respondentId) throw badInput('input.respondentId', 'the other party, not the applicant');
    const mediationPointId = checkText('input.mediationPointId', input.mediationPointId, 3, 40);
    const delegatedOn = checkPastDate('input.delegatedOn', input.delegatedOn);
    const extensionDays = input.extensionDays ?? 0;
    if (!Number.isInteger(extensionDays) || extensionDays < 0 || extensionDays > 60) throw badInput('input.extensionDays', '0 to 60 days');
    return ctx.em.transactional(async (em) => {
      const record = em.create(PreLitigationMediationCase, {
        caseNo: await nextCaseNo(em, district.courtCode, delegatedOn, '民诉前调'),
        courtCode: district.courtCode,
        districtCode: district.code,
        townshipCode,
        cause,
        applicantId,
        respondentId,
        mediationPointId,
        judgeId: ctx.viewer.sub,
        delegatedOn,
        extensionDays,
        deadlineOn: dueDate(delegatedOn, { days: PRE_LITIGATION_DAYS + extensionDays }),
        status: PreLitigationStatus.MEDIATING,
        endedOn: null,
        agreement: null,
        confirmationCaseNo: null,
        lawsuitCaseNo: null,
      });
      await em.flush();
      await auditWrite(ctx, { entityType: 'PreLitigationMediationCase', recordKey: record.caseNo, field: '*', change: `delegated to ${mediationPointId}` });
      return record;
    });
  }

  @Mutation(() => PreLitigationMediationCase, {
    description: 'The mediation point records the outcome of a delegated mediation: an agreement within the term, or failure; one transaction, audited.',
  })
  async recordPreLitigationOutcome(
    @Arg('input', () => PreLitigationOutcomeInput, { description: 'The outcome.' }) input: PreLitigationOutcomeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCase> {
    const caseNo = checkPreLitigationNo('input.caseNo', input.caseNo);
    const endedOn = checkPastDate('input.endedOn', input.endedOn);
    const settled = input.outcome === PreLitigationMediationOutcome.SETTLED;
    const agreement = settled ? checkText('input.agreement', input.agreement ?? '', 2, 2000) : null;
    if (!settled && input.agreement) throw badInput('input.agreement', 'only a settlement has an agreement');
    return ctx.em.transactional(async (em) => {
      const record = await lockedRecord(em, ctx, caseNo);
      if (record.status !== PreLitigationStatus.MEDIATING) throw illegalStep(record, 'recordPreLitigationOutcome');
      if (endedOn < record.delegatedOn) throw badInput('input.endedOn', 'before the delegation');
      if (settled && endedOn > record.deadlineOn)
        throw new GraphQLError(`the term ended on ${record.deadlineOn}: the mediation failed unless the parties agreed to extend`, {
          extensions: { code: ErrorCode.LegalLimit },
        });
      Object.assign(record, { status: settled ? PreLitigationStatus.SETTLED : PreLitigationStatus.FAILED, endedOn, agreement });
      await em.flush();
      await auditWrite(ctx, { entityType: 'PreLitigationMediationCase', recordKey: caseNo, field: 'status', change: `outcome ${input.outcome}` });
      return record;
    });
  }

  @Mutation(() => PreLitigationMediationCase, {
    description: 'The judge rules on 司法确认 of a settled pre-litigation mediation: a concluded 民特 case, CONFIRMED; one transaction, audited.',
  })
  async confirmPreLitigationAgreement(
    @Arg('input', () => ConfirmPreLitigationInput, { description: 'The application and ruling.' }) input: ConfirmPreLitigationInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCase> {
    const caseNo = checkPreLitigationNo('input.caseNo', input.caseNo);
    const appliedOn = checkPastDate('input.appliedOn', input.appliedOn);
    const ruledOn = checkPastDate('input.ruledOn', input.ruledOn);
    if (ruledOn < appliedOn) throw badInput('input.ruledOn', 'before the application');
    return ctx.em.transactional(async (em) => {
      const record = await lockedRecord(em, ctx, caseNo);
      if (record.status !== PreLitigationStatus.SETTLED) throw illegalStep(record, 'confirmPreLitigationAgreement');
      if (appliedOn < record.endedOn!) throw badInput('input.appliedOn', 'before the agreement');
      if (appliedOn > dueDate(record.endedOn!, { days: CONFIRMATION_APPLICATION_DAYS }))
        throw new GraphQLError(`司法确认 is applied for within ${CONFIRMATION_APPLICATION_DAYS} days of the agreement (民事诉讼法 art. 205)`, {
          extensions: { code: ErrorCode.LegalLimit },
        });
      const confirmation = caseOf(em, record, {
        caseNo: await nextCaseNo(em, record.courtCode, appliedOn, '民特'),
        kind: CourtCaseKind.SPECIAL_PROCEDURE,
        filedOn: appliedOn,
        concludedOn: ruledOn,
        status: CourtCaseStatus.CONCLUDED,
        verdict: Verdict.CONFIRMED,
        judgeId: ctx.viewer.sub,
      });
      Object.assign(record, { status: PreLitigationStatus.CONFIRMED, confirmationCaseNo: confirmation.caseNo });
      await em.flush();
      await auditWrite(ctx, { entityType: 'PreLitigationMediationCase', recordKey: caseNo, field: 'status', change: `confirmed as ${confirmation.caseNo}` });
      return record;
    });
  }

  @Mutation(() => PreLitigationMediationCase, {
    description: 'A judge or clerk files (立案) the lawsuit of a failed pre-litigation mediation as 民初; one transaction, audited.',
  })
  async filePreLitigationLawsuit(
    @Arg('input', () => FilePreLitigationInput, { description: 'The filing.' }) input: FilePreLitigationInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PreLitigationMediationCase> {
    const caseNo = checkPreLitigationNo('input.caseNo', input.caseNo);
    const filedOn = checkPastDate('input.filedOn', input.filedOn);
    return ctx.em.transactional(async (em) => {
      const record = await lockedRecord(em, ctx, caseNo);
      if (record.status !== PreLitigationStatus.FAILED) throw illegalStep(record, 'filePreLitigationLawsuit');
      if (filedOn < record.endedOn!) throw badInput('input.filedOn', 'before the mediation ended');
      const lawsuit = caseOf(em, record, {
        caseNo: await nextCaseNo(em, record.courtCode, filedOn, '民初'),
        kind: CourtCaseKind.CIVIL,
        filedOn,
        status: CourtCaseStatus.FILED,
        preLitigationStartedOn: record.delegatedOn,
        preLitigationEndedOn: record.endedOn,
        preLitigationOutcome: PreLitigationMediationOutcome.FAILED,
      });
      Object.assign(record, { status: PreLitigationStatus.FILED, lawsuitCaseNo: lawsuit.caseNo });
      await em.flush();
      await auditWrite(ctx, { entityType: 'PreLitigationMediationCase', recordKey: caseNo, field: 'status', change: `filed as ${lawsuit.caseNo}` });
      return record;
    });
  }
}
