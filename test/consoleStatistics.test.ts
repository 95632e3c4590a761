import { hotspotStyle, mapRange, monthsAsDays, seriesOf, type MonthRow } from '../console/statistics';

/* The console's statistics page without a browser: the months it asks for, its series, its hotspot circles. */

describe('monthsAsDays', () => {
  it('turns whole months into the days an analyst’s release answers: the 1st of the first, the last day of the last', () => {
    expect(monthsAsDays('2025-01', '2025-12')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(monthsAsDays('2024-02', '2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthsAsDays('2025-02', '2025-02')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(monthsAsDays('2021-01', '2025-12')).toEqual({ from: '2021-01-01', to: '2025-12-31' });
  });

  it.each([
    ['', '2025-12', 'pick a first and a last month'],
    ['2025-13', '2025-12', 'pick a first and a last month'],
    ['2025-06', '2025-05', 'the first month (2025-06) is after the last (2025-05)'],
    ['2020-12', '2025-12', 'at most 60 months at once (61 picked)'],
  ])('refuses %s … %s', (from, to, message) => {
    expect(() => monthsAsDays(from, to)).toThrow(message);
  });
});

describe('mapRange', () => {
  it('keeps a range of a year or less, and maps the last twelve months of a longer one (the graph maps at most 366 days)', () => {
    expect(mapRange({ from: '2025-03-01', to: '2025-05-31' })).toEqual({ from: '2025-03-01', to: '2025-05-31' });
    expect(mapRange({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(mapRange({ from: '2025-01-01', to: '2026-11-30' })).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    const longest = mapRange({ from: '2023-01-01', to: '2024-12-31' });
    expect((Date.parse(longest.to) - Date.parse(longest.from)) / 86_400_000 + 1).toBeLessThanOrEqual(366);
  });
});

describe('seriesOf', () => {
  const rows: MonthRow[] = [
    { month: '2025-01', policeStatistics: { incidents: 12, casesFiled: null, rate: 1.5, suppressedFields: ['casesFiled'] } },
    { month: '2025-02', policeStatistics: { incidents: null, casesFiled: 7, rate: null, suppressedFields: ['incidents'] } },
    { month: '2025-03', policeStatistics: null },
  ];

  it('gives one value per month, null (a gap, never 0) where withheld, denied or not kept, and lists only the withheld months', () => {
    expect(seriesOf(rows, 'policeStatistics', ['incidents', 'casesFiled', 'rate'])).toEqual([
      { figure: 'incidents', values: [12, null, null], withheld: ['2025-02'] },
      { figure: 'casesFiled', values: [null, 7, null], withheld: ['2025-01'] },
      // A null not named in suppressedFields is a figure not kept there, not a withheld one.
      { figure: 'rate', values: [1.5, null, null], withheld: [] },
    ]);
  });

  it('does not draw a value the answer names as withheld even if one came with it', () => {
    const leaked: MonthRow[] = [{ month: '2025-01', policeStatistics: { incidents: 3, suppressedFields: ['incidents'] } }];
    expect(seriesOf(leaked, 'policeStatistics', ['incidents'])).toEqual([{ figure: 'incidents', values: [null], withheld: ['2025-01'] }]);
  });
});

describe('hotspotStyle', () => {
  it('draws a quiet grid small and grey, and a busier grid larger and redder, the busiest largest', () => {
    expect(hotspotStyle(0, 9)).toEqual({ radius: 3, color: '#98a2b3' });
    const few = hotspotStyle(1, 9);
    const most = hotspotStyle(9, 9);
    expect(few.radius).toBeLessThan(most.radius);
    expect(most).toEqual({ radius: 14, color: 'rgb(183, 28, 28)' });
    expect(few.color).not.toBe(most.color);
  });
});
