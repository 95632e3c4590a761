import { eventsOf, hotspotStyle, mapRange, mapRangeLabel, mapSummary, monthsAsDays, seriesOf, type MonthRow } from '../console/statistics';

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
  it('maps the last whole calendar year inside the range, for every agency (the only range an analyst’s map answers)', () => {
    expect(mapRange({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ from: '2025-01-01', to: '2025-12-31', year: 2025 });
    expect(mapRange({ from: '2021-01-01', to: '2025-12-31' })).toEqual({ from: '2025-01-01', to: '2025-12-31', year: 2025 });
    // The last December picked is 2025's: 2026 is not whole.
    expect(mapRange({ from: '2024-06-01', to: '2026-11-30' })).toEqual({ from: '2025-01-01', to: '2025-12-31', year: 2025 });
    expect(mapRange({ from: '2024-01-01', to: '2025-11-30' })).toEqual({ from: '2024-01-01', to: '2024-12-31', year: 2024 });
  });

  it('without a whole calendar year, keeps a range of a year or less and maps the last twelve months of a longer one (the graph maps at most 366 days)', () => {
    expect(mapRange({ from: '2025-03-01', to: '2025-05-31' })).toEqual({ from: '2025-03-01', to: '2025-05-31', year: null });
    expect(mapRange({ from: '2025-02-01', to: '2025-12-31' })).toEqual({ from: '2025-02-01', to: '2025-12-31', year: null });
    expect(mapRange({ from: '2025-01-01', to: '2025-11-30' })).toEqual({ from: '2025-01-01', to: '2025-11-30', year: null });
    expect(mapRange({ from: '2025-02-01', to: '2026-11-30' })).toEqual({ from: '2025-12-01', to: '2026-11-30', year: null });
    for (const [from, to] of [
      ['2023-02-01', '2024-12-31'],
      ['2023-02-01', '2024-11-30'],
      ['2024-02-01', '2025-01-31'],
    ]) {
      const mapped = mapRange({ from, to });
      expect((Date.parse(mapped.to) - Date.parse(mapped.from)) / 86_400_000 + 1).toBeLessThanOrEqual(366);
    }
  });

  it('names a year by itself and another range by its days', () => {
    expect(mapRangeLabel({ from: '2025-01-01', to: '2025-12-31', year: 2025 })).toBe('2025');
    expect(mapRangeLabel({ from: '2025-03-01', to: '2025-05-31', year: null })).toBe('2025-03-01 … 2025-05-31');
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

describe('eventsOf', () => {
  it('gives the count, and null (never 0) for a withheld grid: null, or named in suppressedFields even if a number came with it', () => {
    expect(eventsOf({ gridCode: 'g', name: 'n', events: 0, suppressedFields: [] })).toBe(0);
    expect(eventsOf({ gridCode: 'g', name: 'n', events: 7 })).toBe(7);
    expect(eventsOf({ gridCode: 'g', name: 'n', events: null, suppressedFields: ['events'] })).toBeNull();
    expect(eventsOf({ gridCode: 'g', name: 'n', events: 3, suppressedFields: ['events'] })).toBeNull();
  });
});

describe('hotspotStyle', () => {
  it('draws a quiet grid small and grey, and a busier grid larger and redder, the busiest largest', () => {
    expect(hotspotStyle(0, 9)).toMatchObject({ className: 'hub-grid-quiet', radius: 3, fillColor: '#98a2b3', fillOpacity: 0.8 });
    const few = hotspotStyle(1, 9);
    const most = hotspotStyle(9, 9);
    expect(few.className).toBe('hub-hotspot');
    expect(few.radius).toBeLessThan(most.radius);
    expect(most).toMatchObject({ className: 'hub-hotspot', radius: 14, fillColor: 'rgb(183, 28, 28)' });
    expect(few.fillColor).not.toBe(most.fillColor);
  });

  it('draws a withheld grid as a hollow grey ring: neither a quiet dot (0) nor a count', () => {
    const withheld = hotspotStyle(null, 9);
    expect(withheld).toMatchObject({ className: 'hub-grid-withheld', fillOpacity: 0 });
    expect(withheld.radius).toBeGreaterThan(hotspotStyle(0, 9).radius);
    expect(withheld).not.toEqual(hotspotStyle(0, 9));
  });
});

describe('mapSummary', () => {
  const grids = [
    { gridCode: 'a', name: 'A', events: 4, suppressedFields: [] },
    { gridCode: 'b', name: 'B', events: 0, suppressedFields: [] },
    { gridCode: 'c', name: 'C', events: null, suppressedFields: ['events'] },
    { gridCode: 'd', name: 'D', events: null, suppressedFields: ['events'] },
  ];

  it('counts the grids, those with events and those withheld, and states the year mapped', () => {
    expect(mapSummary({ from: '2025-01-01', to: '2025-12-31', year: 2025 }, grids)).toEqual({
      summary: 'Grid events 2025: 4 grids, 1 with events, 2 withheld',
      note: "2025 mapped (the last whole calendar year picked); 2 grids withheld (small counts of grid's release: hollow grey rings, never drawn as 0)",
    });
  });

  it('states a range that is not a whole year, and no withheld grid for exact counts', () => {
    expect(mapSummary({ from: '2025-03-01', to: '2025-05-31', year: null }, grids.slice(0, 2))).toEqual({
      summary: 'Grid events 2025-03-01 … 2025-05-31: 2 grids, 1 with events, 0 withheld',
      note: '2025-03-01 … 2025-05-31 mapped (no whole calendar year picked: its last 12 months at most); 0 grids withheld',
    });
  });
});
