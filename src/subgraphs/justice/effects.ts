import type { EntityManager } from '@mikro-orm/postgresql';
import { Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { applyEffect, EffectArgs, effectPersons, EffectReceipt, type EffectOutcome } from '../../kit/effects';
import { badInput } from '../../shared/errors';
import { todayCst } from '../../shared/chinaTime';
import { mediationPointFor } from '../../shared/mediationPoints';
import { handlingUnitCode } from '../../shared/orgUnits';
import {
  CommunityCorrection,
  CorrectionKind,
  CorrectionStatus,
  MediationCase,
  MediationOutcome,
  MediationParty,
  MediationPoint,
  MediationSource,
  Mediator,
} from './entities';

/** The last day of a period of `months` starting on `startOn` (a month ends the day before the same day of the month it ends in). */
function lastDayOf(startOn: string, months: number): string {
  const [y, m, d] = startOn.split('-').map(Number);
  const lastOfMonth = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfMonth)) - 86_400_000).toISOString().slice(0, 10);
}

/** Where a mediation opened by a handoff comes from: its source, and the column naming the referring record (its key is the handoff's subject). */
interface MediationFrom {
  source: MediationSource;
  column: 'gridEventId' | 'incidentId' | 'petitionCaseId';
  /** The referring record's type, for the audit line. */
  type: 'GridEvent' | 'Incident' | 'PetitionCase';
}

/**
 * Opens the people's mediation case a completed handoff asks for, at the mediation point of the
 * dispute's township (the one rule of src/shared/mediationPoints.ts), with the parties the sender's
 * record names: once per referring record — a second handoff about it finds the case it opened.
 */
async function openMediation(em: EntityManager, args: EffectArgs, from: MediationFrom): Promise<EffectOutcome> {
  // The place the sender's record gives (a referral), else the handoff's scope (a grid event's grid).
  const [argument, place] = args.placeCode ? ['placeCode', args.placeCode] : ['scopeCode', args.scopeCode];
  if (!/^\d{9}(\d{3})?$/.test(place)) throw badInput(argument, 'expected the grid or township code of the dispute');
  const township = place.slice(0, 9);
  const point = mediationPointFor(await em.find(MediationPoint, { districtCode: township.slice(0, 6) }), township);
  const mediator = point && (await em.findOne(Mediator, { pointId: point.id }, { orderBy: { id: 'asc' } }));
  if (!point || !mediator) throw badInput(argument, `no mediation point with a mediator in ${township}`);
  const parties = effectPersons(args);
  // The referring record in its column, the other two empty.
  const link = { gridEventId: null, incidentId: null, petitionCaseId: null, [from.column]: args.subjectKey } as Pick<MediationCase, MediationFrom['column']>;
  // Mediated before the hub knew of the handoff, or by an earlier handoff about it: that is the case this one completed.
  const existing = await em.findOne(MediationCase, { [from.column]: args.subjectKey });
  if (existing)
    return { entityType: 'MediationCase', recordKey: existing.id, field: '*', change: `${from.type} ${args.subjectKey} already mediated as ${existing.id}` };
  const today = todayCst();
  const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"justice"."mediation_case_seq"') as seq`);
  const mediation = em.create(MediationCase, {
    id: `MC${today.slice(0, 4)}${seq.padStart(6, '0')}`,
    ...link,
    source: from.source,
    pointId: point.id,
    mediatorId: mediator.id,
    startedOn: today,
    outcome: MediationOutcome.SUCCEEDED,
    agreement: args.text ?? null,
    closedOn: today,
    districtCode: point.districtCode,
    townshipCode: point.townshipCode,
    unitCode: handlingUnitCode('justice', point.townshipCode),
  });
  parties.forEach((personId, seq) => em.create(MediationParty, { mediationId: mediation.id, personId, seq }));
  await em.flush();
  return {
    entityType: 'MediationCase',
    recordKey: mediation.id,
    field: '*',
    change: `MediationCase ${mediation.id} opened for ${from.type} ${args.subjectKey}`,
  };
}

/** The justice bureau's side of the workflow's effects: a completed mediation handoff or referral becomes its mediation case. */
@Resolver()
export class JusticeEffectsResolver {
  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): a completed DISPUTE_MEDIATION handoff opens the people's mediation case of its grid event (one per event, once per effect).",
  })
  @Directive('@inaccessible')
  openMediationFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, (em) => openMediation(em, args, { source: MediationSource.GRID_EVENT, column: 'gridEventId', type: 'GridEvent' }));
  }

  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): a completed POLICE_MEDIATION_REFERRAL (警调对接) opens the people's mediation case of its incident, its caller the party (one per incident, once per effect).",
  })
  @Directive('@inaccessible')
  openMediationFromPoliceReferral(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, (em) => openMediation(em, args, { source: MediationSource.POLICE_REFERRAL, column: 'incidentId', type: 'Incident' }));
  }

  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): a completed PETITION_MEDIATION_REFERRAL (访调对接) opens the people's mediation case of its petition, its petitioner the party (one per petition, once per effect).",
  })
  @Directive('@inaccessible')
  openMediationFromPetitionReferral(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, (em) =>
      openMediation(em, args, { source: MediationSource.PETITION_REFERRAL, column: 'petitionCaseId', type: 'PetitionCase' }),
    );
  }

  @Mutation(() => EffectReceipt, {
    description:
      "Internal (the workflow's effect delivery only): an accepted CORRECTION_HANDOVER opens the community correction (社区矫正) of each defendant the judgment sentenced to a community sentence, as the court says (once per effect).",
  })
  @Directive('@inaccessible')
  openCorrectionFromHandoff(@Args(() => EffectArgs) args: EffectArgs, @Ctx() ctx: SubgraphContext): Promise<EffectReceipt> {
    return applyEffect(ctx, args, async (em) => {
      if (!/^\d{6,12}$/.test(args.scopeCode)) throw badInput('scopeCode', 'expected the division or grid code of the case');
      const existing = await em.find(CommunityCorrection, { courtCaseNo: args.subjectKey }, { orderBy: { id: 'asc' } });
      if (existing.length)
        return {
          entityType: 'CommunityCorrection',
          recordKey: existing[0].id,
          field: '*',
          change: `CourtCase ${args.subjectKey} already executed as ${existing[0].id}`,
        };
      // The handover names the judgment only: who was sentenced to what comes with the effect, as the court gave it.
      const kind = Object.values(CorrectionKind).find((k) => k === args.communitySentence);
      if (!kind) throw badInput('communitySentence', 'the judgment carries no community sentence');
      const months = args.sentenceMonths;
      if (!months || months < 1 || months > 300) throw badInput('sentenceMonths', 'expected the term of the sentence, 1 to 300 months');
      const defendants = effectPersons(args);
      if (!defendants.length) throw badInput('personIds', 'the judgment names no defendant');
      const startOn = todayCst();
      const corrections: CommunityCorrection[] = [];
      for (const personId of defendants) {
        const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"justice"."community_correction_seq"') as seq`);
        corrections.push(
          em.create(CommunityCorrection, {
            id: `CC${startOn.slice(0, 4)}${seq.padStart(6, '0')}`,
            personId,
            courtCaseNo: args.subjectKey,
            kind,
            startOn,
            endOn: lastDayOf(startOn, months),
            status: CorrectionStatus.ACTIVE,
            sealed: args.sealed === true,
            // The accepting correction officer takes the correction in charge.
            officerId: args.officer,
            districtCode: args.scopeCode.slice(0, 6),
            unitCode: handlingUnitCode('justice', args.scopeCode.slice(0, 6)),
            reportedOn: null,
          }),
        );
      }
      await em.flush();
      return {
        entityType: 'CommunityCorrection',
        recordKey: corrections[0].id,
        field: '*',
        change: `${corrections.map((c) => c.id).join(', ')} (${kind}) opened for CourtCase ${args.subjectKey}`,
      };
    });
  }
}
