import fc from 'fast-check';
import { intersectionSizes, psiSide } from './psi';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Small alphabets, so that random sets overlap. */
const element = fc.stringMatching(/^[a-f]{1,2}$/);

describe('private set intersection cardinality', () => {
  it('counts exactly the elements both sides hold, group by group', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(element, { maxLength: 12 }),
        fc.uniqueArray(element, { maxLength: 12 }),
        fc.uniqueArray(element, { maxLength: 12 }),
        async (a1, a2, b) => {
          const counted = await psiSide(
            new Map([
              ['2025', a1],
              ['2026', a2],
            ]),
          );
          const other = await psiSide(new Map([['', b]]));
          const sizes = intersectionSizes(counted, other);
          expect(sizes.get('2025')).toBe(a1.filter((e) => b.includes(e)).length);
          expect(sizes.get('2026')).toBe(a2.filter((e) => b.includes(e)).length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts a duplicate once: a side holds sets', async () => {
    const sizes = intersectionSizes(await psiSide(new Map([['g', ['x', 'x', 'y']]])), await psiSide(new Map([['', ['x', 'x']]])));
    expect(sizes.get('g')).toBe(1);
  });

  it('works on empty sets, on either side', async () => {
    expect(intersectionSizes(await psiSide(new Map([['g', []]])), await psiSide(new Map([['', ['x']]]))).get('g')).toBe(0);
    expect(intersectionSizes(await psiSide(new Map([['g', ['x']]])), await psiSide(new Map([['', []]]))).get('g')).toBe(0);
    expect(intersectionSizes(await psiSide(new Map()), await psiSide(new Map([['', ['x']]]))).size).toBe(0);
  });

  it('shuffles what it hands on: the order of the values says nothing of the order of the elements', async () => {
    const elements = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const side = await psiSide(new Map([['', elements]]));
    const other = await psiSide(new Map([['', elements]]));
    const received = other.blinded.get('')!;
    // Each value reblinded alone (a list of one cannot be shuffled): the order had nothing been shuffled.
    const inOrder = received.map((v) => hex(side.reblind(new Map([['', [v]]])).get('')![0]));
    const reblinded = side.reblind(other.blinded).get('')!.map(hex);
    expect(new Set(reblinded)).toEqual(new Set(inOrder));
    // 40! orders: the received one comes back by chance never.
    expect(reblinded).not.toEqual(inOrder);
    expect(side.reblind(other.blinded).get('')!.map(hex)).not.toEqual(reblinded);
  });

  it('gives unlinkable values on a new run: new scalars, no value in common', async () => {
    const elements = ['P1|2025-03', 'P2|2025-04', 'P3|2025-05'];
    const first = await psiSide(new Map([['', elements]]));
    const second = await psiSide(new Map([['', elements]]));
    const values = (s: Awaited<ReturnType<typeof psiSide>>) => new Set(s.blinded.get('')!.map(hex));
    const shared = [...values(first)].filter((v) => values(second).has(v));
    expect(shared).toEqual([]);
    // Doubly blinded values of a run do not reappear in the next either.
    const other = (n: number) => psiSide(new Map([['', elements.slice(0, n)]]));
    const run1 = new Set(
      first
        .reblind((await other(3)).blinded)
        .get('')!
        .map(hex),
    );
    const run2 = second
      .reblind((await other(3)).blinded)
      .get('')!
      .map(hex);
    expect(run2.filter((v) => run1.has(v))).toEqual([]);
  });

  it('refuses a value that is not a group element', async () => {
    const side = await psiSide(new Map([['', ['x']]]));
    expect(() => side.reblind(new Map([['', [new Uint8Array(32).fill(255)]]]))).toThrow();
  });
});
