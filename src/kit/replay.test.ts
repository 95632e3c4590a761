import { MemoryReplayGuard } from './replay';

describe('MemoryReplayGuard', () => {
  it('accepts a jti once while it lives, forgets it after, and refuses rather than forget a live one when full', async () => {
    let now = 1_000;
    const guard = new MemoryReplayGuard(2, () => now);
    expect(await guard.firstUse('a', 2_000)).toBe(true);
    expect(await guard.firstUse('a', 2_000)).toBe(false);
    expect(await guard.firstUse('b', 3_000)).toBe(true);
    // Full of live entries: a new token is refused, not let in by dropping one that could then be replayed.
    expect(await guard.firstUse('c', 3_000)).toBe(false);
    now = 2_500;
    // 'a' expired (its token is refused by its own expiry anyway): its place is free again.
    expect(await guard.firstUse('c', 3_000)).toBe(true);
    expect(await guard.firstUse('b', 3_000)).toBe(false);
  });
});
