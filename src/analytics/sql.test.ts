import { sql, startsWithAny } from './sql';

describe('sql', () => {
  it('builds SQL with parameters in order, splicing fragments', () => {
    const q = sql`select 1 where ${startsWithAny('grid_code', ['211402', '211403'])} and day >= ${'2025-01-01'}::date`;
    expect(q.text).toBe('select 1 where (grid_code like ? or grid_code like ?) and day >= ?::date');
    expect(q.params).toEqual(['211402%', '211403%', '2025-01-01']);
    expect(startsWithAny('grid_code', []).text).toBe('false');
  });
});
