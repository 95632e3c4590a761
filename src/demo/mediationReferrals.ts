import { mediationPointFor } from '../shared/mediationPoints';
import { DISPUTES } from './catalog';
import { numberAfter } from './corrections';
import { addDays, minDate } from './dates';
import { DISTRICTS } from './divisions';
import type { Random } from './random';
import type { DemoCity, DemoDisputeChain } from './types';

/** What the referrals read of the city: everything but its residents (they may be a stream). */
type CityRecords = Omit<DemoCity, 'persons'>;

/**
 * Shares of all people's mediation cases that the police (警调对接) and the petition bureau (访调对接)
 * refer. **Assumptions** of the demo, not measured figures: no breakdown of 葫芦岛's mediation cases
 * by source was found; the police's referrals are put at 15 % (within the 10–20 % the issue
 * expects), petitions at 3 % ("a few"); the rest are the grid's disputes.
 */
export const POLICE_REFERRAL_SHARE = 0.15;
export const PETITION_REFERRAL_SHARE = 0.03;
/** The bureau numbers the demo's referred petitions above this in each year: a range of their own, clear of its other petitions. */
const PETITION_NUMBERS_ABOVE = 500_000;
/** Share of the mediations ended that settle: as for the grid's disputes (0.8 / 0.85, docs/domain.md). */
const SETTLED_SHARE = 0.94;

/**
 * The demo city's referrals to people's mediation, from their own stream so that no other record
 * shifts, numbered after the grid disputes' mediations of their year (call it once the numbering is
 * done). A police referral is a 纠纷 call whose caller the police identified, mediated at the
 * township's mediation point a few days later with the caller as the party, as a live referral's
 * effect records it. A petition referral is a resident's petition about a dispute (the bureau's
 * fixture holds it: src/demo/petitionFixture.ts), mediated likewise with the petitioner as the party.
 */
export function referToMediation(city: CityRecords, rng: Random, period: { start: string; end: string }): void {
  const total = city.disputes.length / (1 - POLICE_REFERRAL_SHARE - PETITION_REFERRAL_SHARE);
  const calls = city.incidents.filter((i) => i.kind === '纠纷' && i.reporterIdNumber !== null);
  // Petitioners: residents the grid's records name (the people of its other events), in their grid.
  const residents = city.gridEvents.filter((e) => e.kind !== 'DISPUTE' && e.involvedIdNumbers.length > 0);
  const causes = DISPUTES.filter((t) => !t.family).map((t) => t.title);
  const referred: DemoDisputeChain[] = [];
  const refer = (gridCode: string, day: string, party: string, from: Pick<DemoDisputeChain, 'source' | 'incidentId' | 'petition'>, cause: string) => {
    const point = mediationPointFor(city.mediationPoints, gridCode.slice(0, 9));
    // A point's mediators are listed in id order: the first is the one a live referral gets.
    const mediator = point && city.mediators.find((m) => m.pointId === point.id);
    if (!point || !mediator) throw new Error(`no mediation point with a mediator for ${gridCode}`);
    const startedOn = minDate(addDays(day, rng.int(0, 5)), period.end);
    const settled = rng.chance(SETTLED_SHARE);
    const closedOn = addDays(startedOn, settled ? rng.int(1, 30) : rng.int(7, 45));
    const ended = closedOn <= period.end;
    referred.push({
      ...from,
      gridEventId: null,
      mediationId: '',
      pointId: point.id,
      mediatorId: mediator.id,
      partyIdNumbers: [party],
      startedOn,
      outcome: !ended ? 'IN_PROGRESS' : settled ? 'SUCCEEDED' : 'FAILED',
      agreement: ended && settled ? `双方就${cause}自愿达成调解协议，约定履行期限与方式。` : null,
      closedOn: ended ? closedOn : null,
      confirmationCaseNo: null,
      lawsuitCaseNo: null,
      courtCode: DISTRICTS.find((d) => d.code === point.districtCode)!.courtCode,
    });
  };
  for (const call of rng.sample(calls, Math.min(calls.length, Math.round(total * POLICE_REFERRAL_SHARE)))) {
    // momentOn keeps a call's time inside its China day: the first ten characters are that day.
    refer(
      call.gridCode,
      call.reportedAt.slice(0, 10),
      call.reporterIdNumber!,
      { source: 'POLICE_REFERRAL', incidentId: call.id, petition: null },
      '报警所涉纠纷',
    );
  }
  const petitions: Array<{ date: string; assign: (id: string) => void }> = [];
  for (const event of rng.sample(residents, Math.min(residents.length, Math.max(1, Math.round(total * PETITION_REFERRAL_SHARE))))) {
    const petition = { caseId: '', filedOn: rng.date(period.start, period.end), cause: rng.pick(causes) };
    petitions.push({ date: petition.filedOn, assign: (id) => (petition.caseId = id) });
    refer(event.gridCode, petition.filedOn, event.involvedIdNumbers[0], { source: 'PETITION_REFERRAL', incidentId: null, petition }, petition.cause);
  }
  const years = [...new Set(petitions.map((p) => p.date.slice(0, 4)))];
  numberAfter(
    years.map((y) => `XF${y}${PETITION_NUMBERS_ABOVE}`),
    'XF',
    petitions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  );
  numberAfter(
    city.disputes.map((d) => d.mediationId),
    'MC',
    [...referred]
      .sort((a, b) => (a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : 0))
      .map((d) => ({ date: d.startedOn, assign: (id) => (d.mediationId = id) })),
  );
  city.disputes.push(...referred);
}
