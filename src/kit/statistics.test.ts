import { districtMonthId, flowId, monthsOf, parseDistrictMonthId, parseFlowId, sql, startsWithAny } from './statistics';

describe('statistics ids and ranges', () => {
  it('round-trips the ids of computed entities and refuses malformed ones', () => {
    const range = { from: '2025-01-15', to: '2025-03-10' };
    expect(parseDistrictMonthId(districtMonthId('211402001', range, '2025-02'))).toEqual({ id: '211402001:2025-01-15:2025-03-10:2025-02', code: '211402001', month: '2025-02', range });
    expect(parseFlowId(flowId('211402', { from: null, to: '2025-12-31' }))).toEqual({ id: '211402::2025-12-31', code: '211402', range: { from: null, to: '2025-12-31' } });
    for (const bad of ['2114:2025-01-01:2025-02-01:2025-01', '211402:2025-02-30:2025-03-01:2025-03', '211402:9999-99-99:2025-03-01:2025-03', '211402:2025-01-01:2025-02-01:2025-04', '211402:2025-03-01:2025-01-01:2025-02']) {
      expect({ bad, parsed: parseDistrictMonthId(bad) }).toEqual({ bad, parsed: null });
    }
    for (const bad of ['211402', '211402:2025-02-01:2025-01-01', 'x:2025-01-01:', '211402:2025-01-01:2025-02-01:extra']) expect({ bad, parsed: parseFlowId(bad) }).toEqual({ bad, parsed: null });
  });

  it('lists the months of a range, at most 60', () => {
    expect(monthsOf({ from: '2025-11-30', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2021-01-01', to: '2025-12-31' })).toHaveLength(60);
    expect(() => monthsOf({ from: '2021-01-01', to: '2026-01-01' })).toThrow(/at most 60/);
    expect(() => monthsOf({ from: null, to: '2026-01-01' })).toThrow(/needs `from`/);
  });

  it('builds SQL with parameters in order, splicing fragments', () => {
    const q = sql`select 1 where ${startsWithAny('grid_code', ['211402', '211403'])} and day >= ${'2025-01-01'}::date`;
    expect(q.text).toBe('select 1 where (grid_code like ? or grid_code like ?) and day >= ?::date');
    expect(q.params).toEqual(['211402%', '211403%', '2025-01-01']);
    expect(startsWithAny('grid_code', []).text).toBe('false');
  });
});
