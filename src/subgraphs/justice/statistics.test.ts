import 'reflect-metadata';
import type { Figures } from '../../analytics/suppression';
import { justiceStatistics, type JusticeMeasure } from './statistics';

/** A county's figures as the release gives them: `withheld` null and named, the others as given. */
function figures(counts: Record<JusticeMeasure, number>, withheld: JusticeMeasure[] = []): Figures<JusticeMeasure> {
  const values = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, withheld.includes(k as JusticeMeasure) ? null : v]));
  return { values: values as Record<JusticeMeasure, number | null>, suppressed: withheld };
}

const COUNTY = { mediationCases: 40, mediationsSucceeded: 30, mediationsClosed: 36, mediationsClosedOnTime: 27, peopleUnderCorrection: 9, legalAidCases: 12 };

describe('the justice indicators, from published counts only', () => {
  it('computes the on-time closure rate (一个月内调结) and the success rate from released counts', () => {
    const s = justiceStatistics('211402', figures(COUNTY));
    expect([s.mediationsClosedOnTime, s.onTimeClosureRate, s.successRate, s.suppressedFields]).toEqual([27, 0.75, 30 / 36, []]);
  });

  it('withholds the rate, and names it, when its numerator or its (unpublished) denominator is withheld', () => {
    const numerator = justiceStatistics('211402', figures(COUNTY, ['mediationsClosedOnTime']));
    expect([numerator.mediationsClosedOnTime, numerator.onTimeClosureRate, numerator.successRate]).toEqual([null, null, 30 / 36]);
    expect(numerator.suppressedFields).toEqual(['mediationsClosedOnTime', 'onTimeClosureRate']);
    const denominator = justiceStatistics('211402', figures(COUNTY, ['mediationsClosed']));
    expect([denominator.mediationsClosedOnTime, denominator.onTimeClosureRate, denominator.successRate]).toEqual([27, null, null]);
    // The denominator is no field of its own: only the rates built on it are named.
    expect(denominator.suppressedFields).toEqual(['successRate', 'onTimeClosureRate']);
  });

  it('has no rate of no closed case, and that is no withheld one', () => {
    const none = justiceStatistics('211402001', figures({ ...COUNTY, mediationsClosed: 0, mediationsClosedOnTime: 0, mediationsSucceeded: 0 }));
    expect([none.onTimeClosureRate, none.successRate, none.suppressedFields]).toEqual([null, null, []]);
  });
});
