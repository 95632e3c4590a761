import { Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { applyEffect, EffectArgs, effectPersons, EffectReceipt } from '../../kit/effects';
import { todayCst } from '../../shared/chinaTime';
import { badInput } from '../../shared/errors';
import { DISTRICTS } from '../../shared/huludao';
import { handlingUnitCode } from '../../shared/orgUnits';
import { ProsecutionCase, ProsecutionDecision, ProsecutionDefendant } from './entities';
import { isPoliceCaseNo } from './keys';

/** The procuratorate's side of the workflow's effects: an accepted transfer (移送审查起诉) becomes its review case. */
@Resolver()
export class ProcuratorateEffectsResolver {
  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): an accepted PROSECUTION_REVIEW handoff opens the review case (审查起诉) of its police case (one per police case, once per effect).",
  })
  @Directive('@inaccessible')
  openProsecutionFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, async (em) => {
      if (!isPoliceCaseNo(args.subjectKey)) throw badInput('subjectKey', 'expected a police case number');
      if (!/^\d{9,12}$/.test(args.scopeCode)) throw badInput('scopeCode', 'expected the township or grid code of the case');
      const existing = await em.findOne(ProsecutionCase, { policeCaseNo: args.subjectKey });
      if (existing)
        return {
          entityType: 'ProsecutionCase',
          recordKey: existing.caseNo,
          field: '*',
          change: `PoliceCase ${args.subjectKey} already under review as ${existing.caseNo}`,
        };
      const districtCode = args.scopeCode.slice(0, 6);
      // The district procuratorate's abbreviation in its document numbers (连 in 连检刑诉〔2026〕17号).
      const district = DISTRICTS.find((d) => d.code === districtCode);
      if (!district) throw badInput('scopeCode', `no district procuratorate for ${districtCode}`);
      // The transfer names the police case only: its offence and suspects come with the effect, as the police gave them (移送 hands over the file).
      const suspects = effectPersons(args);
      const today = todayCst();
      const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"procuratorate"."prosecution_case_seq"') as seq`);
      const review = em.create(ProsecutionCase, {
        caseNo: `${district.abbreviation}检刑诉〔${today.slice(0, 4)}〕${seq}号`,
        policeCaseNo: args.subjectKey,
        arrestReviewCaseNo: null,
        charges: args.charges ?? [],
        receivedOn: today,
        decision: ProsecutionDecision.PENDING,
        decidedOn: null,
        sealed: args.sealed === true,
        prosecutorId: args.officer,
        districtCode,
        townshipCode: args.scopeCode.slice(0, 9),
        unitCode: handlingUnitCode('procuratorate', districtCode),
      });
      suspects.forEach((personId, i) => em.create(ProsecutionDefendant, { caseNo: review.caseNo, personId, position: i + 1 }));
      await em.flush();
      return {
        entityType: 'ProsecutionCase',
        recordKey: review.caseNo,
        field: '*',
        change: `ProsecutionCase ${review.caseNo} opened for PoliceCase ${args.subjectKey} with ${suspects.length} defendant(s)`,
      };
    });
  }
}
