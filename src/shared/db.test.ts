import { DEFAULT_DB_POOL_MAX, SUBGRAPHS } from './config';
import { connectionBudget } from './db';

test('a connection budget is split so that the pools together never exceed it', () => {
  for (let max = 3; max <= 200; max++) {
    const b = connectionBudget(max);
    expect(b.department + b.audit + b.readiness).toBe(max);
    expect(Math.min(b.department, b.audit, b.readiness)).toBeGreaterThanOrEqual(1);
  }
  expect(() => connectionBudget(2)).toThrow(/at least 3/);
});

test('the default: two replicas of every subgraph fit PostgreSQL’s default max_connections (100, 3 reserved) with 20 to spare', () => {
  expect(connectionBudget(DEFAULT_DB_POOL_MAX)).toEqual({ department: 2, audit: 1, readiness: 1 });
  expect(2 * SUBGRAPHS.length * DEFAULT_DB_POOL_MAX).toBeLessThanOrEqual(100 - 3 - 20);
});
