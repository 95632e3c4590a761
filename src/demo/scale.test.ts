import { VOLUNTEER_GROUPS } from './catalog';
import { buildDemoCity, DEMO_SIZES, DemoCityPlan, residenceOf } from './city';
import { NumberMap } from './population';
import { CITY_RESIDENTS, parseScale, sizeForResidents } from './scale';

describe('city scales', () => {
  it('sizes the real city as docs/domain.md describes it', () => {
    const size = sizeForResidents(CITY_RESIDENTS);
    expect(size.grids).toBe(10_720);
    expect(size.grids! * size.personsPerGrid).toBeGreaterThan(2_390_000);
    expect(size.grids! * size.personsPerGrid).toBeLessThan(2_410_000);
    expect(6 * size.volunteersPerDistrict).toBeGreaterThanOrEqual(160_000);
    expect(VOLUNTEER_GROUPS).toHaveLength(61);
    expect(4 * size.personalRoomsPerDistrict!).toBe(128);
    expect(size.extraIncidents + size.criminalChains).toBeGreaterThan(100_000);
    expect(parseScale('city').size).toEqual(size);
  });

  it('reads --scale names and numbers, and rejects anything else', () => {
    expect(parseScale('small').size).toBe(DEMO_SIZES.small);
    expect(parseScale('Medium').size).toBe(DEMO_SIZES.medium);
    expect(parseScale('2_000')).toEqual({ name: '2000', size: sizeForResidents(2000) });
    expect(() => parseScale('huge')).toThrow(RangeError);
    expect(() => parseScale('10')).toThrow(RangeError);
    expect(() => parseScale('99999999')).toThrow(RangeError);
  });

  it('builds a scaled city of about the residents asked for', () => {
    const plan = new DemoCityPlan(sizeForResidents(5000));
    let n = 0;
    for (const _ of plan.persons) n++;
    expect(n).toBe(plan.residentCount);
    expect(Math.abs(n - 5000)).toBeLessThan(200);
    expect(plan.criminalChains.filter((c) => !c.escalatedFrom).length).toBe(13);
    expect(plan.mediationPoints.filter((p) => p.kind.endsWith('TALK_POINT')).length).toBeGreaterThanOrEqual(plan.divisions.length - 6);
  });
});

describe('DemoCityPlan (the streaming city)', () => {
  it('streams exactly the city buildDemoCity collects', () => {
    const city = buildDemoCity(DEMO_SIZES.small);
    const plan = new DemoCityPlan(DEMO_SIZES.small);
    expect(plan.grids).toEqual(city.grids);
    expect([...plan.persons]).toEqual(city.persons);
    expect(plan.criminalChains).toEqual(city.criminalChains);
    expect(plan.gridEvents).toEqual(city.gridEvents);
    const lookUp = residenceOf(plan);
    for (const p of city.persons.slice(0, 50)) expect(lookUp(p.idNumber)).toBe(p.gridCode);
    expect(lookUp('110101199001011237')).toBeUndefined();
  });

  it('streams its residents once, and generates them silently when the other records come first', () => {
    const plan = new DemoCityPlan(DEMO_SIZES.small);
    expect(plan.disputes.filter((d) => d.source === 'GRID_EVENT').length).toBe(DEMO_SIZES.small.disputes);
    expect(() => [...plan.persons]).toThrow(/streams its residents once/);
    const streamed = new DemoCityPlan(DEMO_SIZES.small);
    const first = streamed.persons[Symbol.iterator]();
    first.next();
    expect(() => streamed.gridEvents).toThrow(/still being streamed/);
  });
});

describe('NumberMap', () => {
  it('keeps values of large integer keys through growth', () => {
    const map = new NumberMap();
    for (let i = 0; i < 5000; i++) map.set(13_800_000_000 + i * 7919, i);
    expect(map.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(map.get(13_800_000_000 + i * 7919)).toBe(i);
    expect(map.has(13_800_000_001)).toBe(false);
    expect(() => map.set(-1, 0)).toThrow(RangeError);
  });
});
