import { createHash } from 'node:crypto';
import { VOLUNTEER_GROUPS } from './catalog';
import { buildDemoCity, DEMO_SIZES, DemoCityPlan, demoPeriod, residenceOf } from './city';
import { preLitigationOf } from './preLitigation';
import { volunteeringOf } from './volunteering';
import { NumberMap } from './population';
import { CITY_RESIDENTS, parseScale, sizeForResidents, withHistory } from './scale';

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

/** Every record of a city and of the stories drawn after it, hashed; `period` is left out (it was added with the history option). */
function fingerprint(size: Parameters<typeof buildDemoCity>[0]): string {
  const city = buildDemoCity(size);
  const { period: _period, ...records } = city;
  return createHash('sha256')
    .update(JSON.stringify(records))
    .update(JSON.stringify(volunteeringOf(city)))
    .update(JSON.stringify(preLitigationOf(city)))
    .digest('hex');
}

describe('the history a city covers', () => {
  it('keeps the small and medium cities byte-identical to the generator before the option (default 23 months)', () => {
    // The hashes of the generator at dc4a7cc, before the history became a parameter.
    expect(fingerprint(DEMO_SIZES.small)).toBe('477232d16dba1522a2917bf22562abb5c828370842529558aacd43129b5506dc');
    expect(fingerprint(withHistory(DEMO_SIZES.small, 23))).toBe('477232d16dba1522a2917bf22562abb5c828370842529558aacd43129b5506dc');
    expect(fingerprint(DEMO_SIZES.medium)).toBe('360cad458b4ca13a732003f8bf2aeb9771e829ad2a15833434a0860b8f83f7b2');
  });

  it('covers whole months back from the demo end, with the volumes at the same yearly rates', () => {
    expect(demoPeriod()).toEqual({ start: '2025-01-01', end: '2026-11-28' });
    expect(demoPeriod(60)).toEqual({ start: '2021-12-01', end: '2026-11-28' });
    const size = withHistory(DEMO_SIZES.small, 60);
    expect(size).toMatchObject({ historyMonths: 60, disputes: 104, criminalChains: 104, extraIncidents: 157, personsPerGrid: 20, volunteersPerDistrict: 10 });
    const city = buildDemoCity(size);
    expect(city.period).toEqual(demoPeriod(60));
    const months = new Set(city.incidents.map((i) => i.reportedAt.slice(0, 7)));
    expect(Math.min(...[...months].map((m) => Number(m.slice(0, 4))))).toBe(2021);
    expect([...city.incidents, ...city.gridEvents].every((r) => r.reportedAt.slice(0, 10) >= '2021-12-01' && r.reportedAt.slice(0, 10) <= '2026-11-28')).toBe(
      true,
    );
    // Every resident is born before the period starts, so every ID number is valid on any day of it.
    expect(city.persons.every((p) => p.birthDate < '2021-01-01')).toBe(true);
    // The volunteers' activities run every month of the period.
    expect(new Set(volunteeringOf(city).activities.map((a) => a.heldOn.slice(0, 7))).size).toBe(60);
    expect(withHistory(sizeForResidents(CITY_RESIDENTS), 60).disputes).toBe(Math.round((16_000 * 60) / 23));
  });

  it('refuses a history outside 12–120 whole months', () => {
    for (const months of [11, 121, 24.5, Number.NaN]) {
      expect(() => demoPeriod(months)).toThrow(/whole number of months from 12 to 120/);
      expect(() => withHistory(DEMO_SIZES.small, months)).toThrow(RangeError);
      expect(() => new DemoCityPlan({ ...DEMO_SIZES.small, historyMonths: months })).toThrow(RangeError);
    }
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
