import fc from 'fast-check';
import { intersectionSizes, psiSide } from './psi';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Small alphabets, so that random sets overlap. */
const element = fc.stringMatching(/^[a-f]{1,2}$/);

describe('private set intersection cardinality', () => {
  it('counts exactly the elements both sides hold, group by group', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(element, { maxLength: 12 }),
        fc.uniqueArray(element, { maxLength: 12 }),
        fc.uniqueArray(element, { maxLength: 12 }),
        (a1, a2, b) => {
          const counted = psiSide(
            new Map([
              ['2025', a1],
              ['2026', a2],
            ]),
          );
          const other = psiSide(new Map([['', b]]));
          const sizes = intersectionSizes(counted, other);
          expect(sizes.get('2025')).toBe(a1.filter((e) => b.includes(e)).length);
          expect(sizes.get('2026')).toBe(a2.filter((e) => b.includes(e)).length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts a duplicate once: a side holds sets', () => {
    const sizes = intersectionSizes(psiSide(new Map([['g', ['x', 'x', 'y']]])), psiSide(new Map([['', ['x', 'x']]])));
    expect(sizes.get('g')).toBe(1);
  });

  it('works on empty sets, on either side', () => {
    expect(intersectionSizes(psiSide(new Map([['g', []]])), psiSide(new Map([['', ['x']]]))).get('g')).toBe(0);
    expect(intersectionSizes(psiSide(new Map([['g', ['x']]])), psiSide(new Map([['', []]]))).get('g')).toBe(0);
    expect(intersectionSizes(psiSide(new Map()), psiSide(new Map([['', ['x']]]))).size).toBe(0);
  });

  it('shuffles what it hands on: the order of the values says nothing of the order of the elements', () => {
    const elements = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const side = psiSide(new Map([['', elements]]));
    const other = psiSide(new Map([['', elements]]));
    const received = other.blinded.get('')!;
    // Each value reblinded alone (a list of one cannot be shuffled): the order had nothing been shuffled.
    const inOrder = received.map((v) => hex(side.reblind(new Map([['', [v]]])).get('')![0]));
    const reblinded = side.reblind(other.blinded).get('')!.map(hex);
    expect(new Set(reblinded)).toEqual(new Set(inOrder));
    // 40! orders: the received one comes back by chance never.
    expect(reblinded).not.toEqual(inOrder);
    expect(side.reblind(other.blinded).get('')!.map(hex)).not.toEqual(reblinded);
  });

  it('gives unlinkable values on a new run: new scalars, no value in common', () => {
    const elements = ['P1|2025-03', 'P2|2025-04', 'P3|2025-05'];
    const first = psiSide(new Map([['', elements]]));
    const second = psiSide(new Map([['', elements]]));
    const values = (s: ReturnType<typeof psiSide>) => new Set(s.blinded.get('')!.map(hex));
    const shared = [...values(first)].filter((v) => values(second).has(v));
    expect(shared).toEqual([]);
    // Doubly blinded values of a run do not reappear in the next either.
    const other = (n: number) => psiSide(new Map([['', elements.slice(0, n)]]));
    const run1 = new Set(first.reblind(other(3).blinded).get('')!.map(hex));
    const run2 = second.reblind(other(3).blinded).get('')!.map(hex);
    expect(run2.filter((v) => run1.has(v))).toEqual([]);
  });

  it('refuses a value that is not a group element', () => {
    const side = psiSide(new Map([['', ['x']]]));
    expect(() => side.reblind(new Map([['', [new Uint8Array(32).fill(255)]]]))).toThrow();
  });
});
