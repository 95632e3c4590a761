import { psiSide } from './psi';
import { decodeGroups, encodeGroups, PsiRuns } from './psiSteps';

describe("a side's open runs", () => {
  it('keeps a run for one reblind within its time, then RUN_EXPIRED', async () => {
    let now = 1_000;
    const runs = new PsiRuns(60_000, () => now);
    const side = await psiSide(new Map([['', ['a', 'b']]]));
    const used = runs.start(side);
    const late = runs.start(side);
    expect(runs.take(used)).toBe(side);
    expect(() => runs.take(used)).toThrow(expect.objectContaining({ status: 410, code: 'RUN_EXPIRED' }));
    now += 59_999;
    expect(runs.size).toBe(1);
    now += 1;
    expect(() => runs.take(late)).toThrow(expect.objectContaining({ code: 'RUN_EXPIRED' }));
    expect(() => runs.take(undefined)).toThrow(expect.objectContaining({ code: 'RUN_EXPIRED' }));
    expect(runs.size).toBe(0);
  });

  it('holds at most four runs: the oldest goes first', async () => {
    const runs = new PsiRuns();
    const side = await psiSide(new Map([['', ['a']]]));
    const ids = [1, 2, 3, 4, 5].map(() => runs.start(side));
    expect(runs.size).toBe(4);
    expect(() => runs.take(ids[0])).toThrow(expect.objectContaining({ code: 'RUN_EXPIRED' }));
    expect(runs.take(ids[4])).toBe(side);
  });
});

describe('blinded groups on the wire', () => {
  it('round-trip, and anything else is BAD_USER_INPUT', async () => {
    const side = await psiSide(
      new Map([
        ['211402@2025', ['a', 'b', 'c']],
        ['211403@2025', []],
      ]),
    );
    const decoded = decodeGroups(JSON.parse(JSON.stringify(encodeGroups(side.blinded))));
    expect([...decoded.keys()]).toEqual(['211402@2025', '211403@2025']);
    expect(decoded.get('211402@2025')!.map((v) => Buffer.from(v).toString('hex'))).toEqual(
      side.blinded.get('211402@2025')!.map((v) => Buffer.from(v).toString('hex')),
    );
    expect(decoded.get('211403@2025')).toEqual([]);
    for (const bad of [null, [], 'x', { g: 7 }, { g: '!!' }, { g: Buffer.alloc(31).toString('base64') }, { ['g'.repeat(65)]: '' }])
      expect(() => decodeGroups(bad)).toThrow(expect.objectContaining({ status: 400, code: 'BAD_USER_INPUT' }));
  });
});
