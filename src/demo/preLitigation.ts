import { allot } from './allotment';
import { addDays } from './dates';
import { dueDate } from '../shared/legalPeriods';
import { Random } from './random';
import type { DemoCitySource } from './types';

/** One demo 诉前调解 (委派调解), its parties by ID number. */
export interface DemoPreLitigation {
  caseNo: string;
  courtCode: string;
  districtCode: string;
  townshipCode: string;
  cause: string;
  applicantIdNumber: string;
  respondentIdNumber: string;
  mediationPointId: string;
  judgeId: string;
  delegatedOn: string;
  extensionDays: number;
  deadlineOn: string;
  status: 'MEDIATING' | 'SETTLED' | 'FAILED';
  endedOn: string | null;
  agreement: string | null;
}

/** Delegations per district court in the demo period: the small city's scale, not the real volume. */
const PER_DISTRICT = 8;
/**
 * Share of delegated mediations that end in an agreement. An assumption of the demo (about two in
 * three), in the range courts report for 诉前调解 success; not a measured figure for 葫芦岛.
 */
const SETTLED_SHARE = 0.65;

/**
 * The demo's 诉前调解: per district court, disputes of its mediation points delegated by the court,
 * drawn from their own stream (`pre-litigation`) so no other record of the city shifts. They end as
 * agreements or failures (or are still running near the end of the period); none is confirmed or
 * filed here, so the demo's court cases stay those the plan states (the mutations do that).
 */
export function preLitigationOf(city: DemoCitySource): DemoPreLitigation[] {
  const rng = new Random(city.seed).fork('pre-litigation');
  const pointOf = new Map(city.mediationPoints.map((p) => [p.id, p]));
  const titleOf = new Map(city.gridEvents.map((e) => [e.id, e.title]));
  const byCourt = new Map<string, (typeof city.disputes)[number][]>();
  // The grid's disputes (two parties each): a referral names one party, and leaving it out keeps these draws as they were.
  for (const d of city.disputes)
    if (d.gridEventId !== null && d.partyIdNumbers.length >= 2 && pointOf.has(d.pointId)) byCourt.set(d.courtCode, [...(byCourt.get(d.courtCode) ?? []), d]);
  const out: DemoPreLitigation[] = [];
  for (const [courtCode, disputes] of [...byCourt].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const outcomes = allot(rng, PER_DISTRICT, [
      ['SETTLED', SETTLED_SHARE],
      ['FAILED', 1 - SETTLED_SHARE],
    ] as const);
    const numbers = new Map<string, number>();
    const drawn = Array.from({ length: PER_DISTRICT }, () => rng.date(city.period.start, addDays(city.period.end, -5))).sort();
    drawn.forEach((delegatedOn, i) => {
      const dispute = rng.pick(disputes);
      const point = pointOf.get(dispute.pointId)!;
      const year = delegatedOn.slice(0, 4);
      const seq = (numbers.get(year) ?? 0) + 1;
      numbers.set(year, seq);
      const extensionDays = rng.chance(0.15) ? rng.int(5, 30) : 0;
      const deadlineOn = dueDate(delegatedOn, { days: 30 + extensionDays });
      const endedOn = addDays(delegatedOn, rng.int(3, 30 + extensionDays));
      const ended = endedOn <= city.period.end;
      const status = ended ? outcomes[i] : 'MEDIATING';
      const cause = titleOf.get(dispute.gridEventId ?? '') ?? '民事纠纷';
      out.push({
        caseNo: `(${year})${courtCode}民诉前调${seq}号`,
        courtCode,
        districtCode: point.districtCode,
        townshipCode: point.townshipCode,
        cause,
        applicantIdNumber: dispute.partyIdNumbers[0],
        respondentIdNumber: dispute.partyIdNumbers[1],
        mediationPointId: point.id,
        judgeId: `ju-${point.districtCode}-${String(rng.int(1, 6)).padStart(3, '0')}`,
        delegatedOn,
        extensionDays,
        deadlineOn,
        status,
        endedOn: ended ? endedOn : null,
        agreement: status === 'SETTLED' ? `双方就${cause}自愿达成调解协议，约定履行期限与方式。` : null,
      });
    });
  }
  return out;
}
