import { numberAfter } from './corrections';
import { addDays, addMonths, minDate } from './dates';
import type { Random } from './random';
import type { DemoCity, DemoCriminalChain } from './types';

/** What the escalations read of the city: everything but its residents (they may be a stream). */
type CityRecords = Omit<DemoCity, 'persons'>;

/**
 * Share of all people's mediation cases whose dispute the demo escalates into a criminal case
 * between the same parties (民转刑). **An assumption of the demo, not a measured figure**: no
 * statistic of 葫芦岛's escalations was found, and real ones are rarer; it is set high enough that
 * the medium city's county-years reach the release threshold, so that the indicator can be seen.
 */
export const ESCALATION_SHARE = 0.1;
/** An escalation is filed 1 to 11 months (calendar months, to the day) after its mediation started. */
const MONTHS_AFTER = [1, 11] as const;
/** A case filed in the demo's last month is still only filed (立案); older ones are under investigation. */
const STILL_FILED_DAYS = 30;

/**
 * The demo city's 民转刑 chains, from a stream of their own so that no other record shifts: a
 * mediation with two parties whose dispute one of them later takes to blows — an intentional
 * injury case (故意伤害罪) with one party the suspect and the other the victim, filed 1–11 months
 * after the mediation started, at the suspect's home grid. The cases stay with the police
 * (filed or under investigation), so no other department's records change; they are listed after
 * every other chain (numbered after them too), so the picks of tests and seeds among the first
 * records stay the same. Each carries `escalatedFrom`, its mediation: what the generator made, for
 * a test to count.
 */
export function escalateDisputes(city: CityRecords, rng: Random, residence: (idNumber: string) => string | undefined, period: { end: string }): void {
  const eligible = city.disputes.filter((d) => d.partyIdNumbers.length >= 2 && addMonths(d.startedOn, MONTHS_AFTER[0]) <= period.end);
  const chains: DemoCriminalChain[] = [];
  for (const dispute of rng.sample(eligible, Math.min(eligible.length, Math.round(city.disputes.length * ESCALATION_SHARE)))) {
    let months = MONTHS_AFTER[1];
    while (addMonths(dispute.startedOn, months) > period.end) months--;
    const filedOn = addMonths(dispute.startedOn, rng.int(MONTHS_AFTER[0], months));
    const day = addDays(filedOn, -rng.int(0, 3));
    const [suspect, victim] = rng.chance(0.5) ? dispute.partyIdNumbers : [...dispute.partyIdNumbers].reverse();
    const gridCode = residence(suspect);
    if (!gridCode) throw new Error('a mediation party who lives in no grid');
    const districtCode = gridCode.slice(0, 6);
    chains.push({
      incidentId: '',
      policeCaseNo: '',
      charge: '故意伤害罪',
      districtCode,
      gridCode,
      occurredAt: rng.timestamp(`${day}T00:00:00Z`, `${day}T15:59:59Z`),
      filedOn,
      suspectIdNumbers: [suspect],
      victimIdNumbers: [victim],
      witnessIdNumbers: [],
      officerId: `po-${districtCode}-${String(rng.int(1, 20)).padStart(3, '0')}`,
      stage: addDays(filedOn, STILL_FILED_DAYS) > period.end ? 'FILED' : 'INVESTIGATING',
      sealed: false,
      prosecution: null,
      trial: null,
      correction: null,
      escalatedFrom: dispute.mediationId,
    });
  }
  chains.sort((a, b) => (a.filedOn < b.filedOn ? -1 : a.filedOn > b.filedOn ? 1 : 0));
  // Incidents of every kind share the JQ numbers.
  numberAfter(
    [...city.incidents.map((i) => i.id), ...city.criminalChains.map((c) => c.incidentId)],
    'JQ',
    chains.map((c) => ({ date: minDate(c.occurredAt.slice(0, 10), c.filedOn), assign: (id) => (c.incidentId = id) })),
  );
  // Police case numbers run per district and year: A + district + year + five digits.
  const last = new Map<string, number>();
  for (const c of city.criminalChains) {
    const series = c.policeCaseNo.slice(0, 11);
    last.set(series, Math.max(last.get(series) ?? 0, Number(c.policeCaseNo.slice(11))));
  }
  for (const c of chains) {
    const series = `A${c.districtCode}${c.filedOn.slice(0, 4)}`;
    const seq = (last.get(series) ?? 0) + 1;
    last.set(series, seq);
    c.policeCaseNo = `${series}${String(seq).padStart(5, '0')}`;
  }
  city.criminalChains.push(...chains);
}
