import { Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { applyEffect, EffectArgs, effectPersons, EffectReceipt } from '../../kit/effects';
import { todayCst } from '../../shared/chinaTime';
import { badInput } from '../../shared/errors';
import { DISTRICTS } from '../../shared/huludao';
import { courtUnitCode } from '../../shared/orgUnits';
import { CourtCase, CourtCaseKind, CourtCaseStatus, CourtParty, CourtPartyRole } from './entities';
import { nextCaseNo } from './keys';

/** The court's side of the workflow's effects: an accepted public prosecution (提起公诉) becomes its criminal case. */
@Resolver()
export class CourtEffectsResolver {
  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): an accepted PUBLIC_PROSECUTION handoff files the criminal case (刑初) of its prosecution case (one per prosecution, once per effect).",
  })
  @Directive('@inaccessible')
  fileCourtCaseFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, async (em) => {
      if (!/^\d{9,12}$/.test(args.scopeCode)) throw badInput('scopeCode', 'expected the township or grid code of the case');
      const existing = await em.findOne(CourtCase, { prosecutionCaseNo: args.subjectKey });
      if (existing)
        return {
          entityType: 'CourtCase',
          recordKey: existing.caseNo,
          field: '*',
          change: `ProsecutionCase ${args.subjectKey} already tried as ${existing.caseNo}`,
        };
      const districtCode = args.scopeCode.slice(0, 6);
      // The district court's code in its case numbers (辽1402 in (2026)辽1402刑初12号).
      const district = DISTRICTS.find((d) => d.code === districtCode);
      if (!district) throw badInput('scopeCode', `no district court for ${districtCode}`);
      // The indictment names the prosecution case only: its charges and defendants come with the effect, as the procuratorate gave them.
      const charges = args.charges ?? [];
      const defendants = effectPersons(args);
      const today = todayCst();
      const trial = em.create(CourtCase, {
        caseNo: await nextCaseNo(em, district.courtCode, today, '刑初'),
        kind: CourtCaseKind.CRIMINAL,
        courtCode: district.courtCode,
        districtCode,
        townshipCode: args.scopeCode.slice(0, 9),
        unitCode: courtUnitCode(CourtCaseKind.CRIMINAL, districtCode, args.scopeCode.slice(0, 9)),
        filedOn: today,
        concludedOn: null,
        sealed: args.sealed === true,
        status: CourtCaseStatus.FILED,
        judgeId: args.officer,
        cause: charges.length ? charges.join('、') : null,
        amountYuan: null,
        prosecutionCaseNo: args.subjectKey,
        mediationCaseId: null,
        verdict: null,
      });
      for (const personId of defendants) em.create(CourtParty, { caseNo: trial.caseNo, personId, role: CourtPartyRole.DEFENDANT });
      await em.flush();
      return {
        entityType: 'CourtCase',
        recordKey: trial.caseNo,
        field: '*',
        change: `CourtCase ${trial.caseNo} filed for ProsecutionCase ${args.subjectKey} with ${defendants.length} defendant(s)`,
      };
    });
  }
}
