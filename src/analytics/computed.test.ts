import { districtMonthId, flowId, parseDistrictMonthId, parseFlowId } from './computed';

describe('computed entity ids', () => {
  it('round-trips the ids of computed entities and refuses malformed ones', () => {
    const range = { from: '2025-01-15', to: '2025-03-10' };
    expect(parseDistrictMonthId(districtMonthId('211402001', range, '2025-02'))).toEqual({
      id: '211402001:2025-01-15:2025-03-10:2025-02',
      code: '211402001',
      month: '2025-02',
      range,
    });
    expect(parseFlowId(flowId('211402', { from: null, to: '2025-12-31' }))).toEqual({
      id: '211402::2025-12-31',
      code: '211402',
      range: { from: null, to: '2025-12-31' },
    });
    for (const bad of [
      '2114:2025-01-01:2025-02-01:2025-01',
      '211402:2025-02-30:2025-03-01:2025-03',
      '211402:9999-99-99:2025-03-01:2025-03',
      '211402:2025-01-01:2025-02-01:2025-04',
      '211402:2025-03-01:2025-01-01:2025-02',
    ]) {
      expect({ bad, parsed: parseDistrictMonthId(bad) }).toEqual({ bad, parsed: null });
    }
    for (const bad of ['211402', '211402:2025-02-01:2025-01-01', 'x:2025-01-01:', '211402:2025-01-01:2025-02-01:extra'])
      expect({ bad, parsed: parseFlowId(bad) }).toEqual({ bad, parsed: null });
  });
});
