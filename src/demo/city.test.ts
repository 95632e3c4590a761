import { DEV_GRID_CODE } from '../auth/devTokens';
import { isValidIdNumber, parseIdNumber } from '../shared/idNumber';
import { VOLUNTEER_GROUPS } from './catalog';
import { DEMO_PERIOD_END, DEMO_PERIOD_START, DEMO_SIZES, DEMO_TODAY, buildDemoCity } from './city';
import { ESCALATION_SHARE } from './civilToCriminal';
import { addDays, addMonths } from './dates';
import { DISTRICTS, townshipsOf } from './divisions';
import { PETITION_REFERRAL_SHARE, POLICE_REFERRAL_SHARE } from './mediationReferrals';
import { Random } from './random';
import type { DemoCity, DemoCitySize } from './types';

const COURT_CASE_NO = /^\(\d{4}\)辽\d{2,4}(刑初|民初|民特|执)\d+号$/;

/** Age in whole years, computed independently of the generator's own helper. */
function age(birthDate: string, on: string): number {
  const b = new Date(`${birthDate}T00:00:00Z`);
  const d = new Date(`${on.slice(0, 10)}T00:00:00Z`);
  let years = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) years--;
  return years;
}

function inPeriod(date: string): boolean {
  return date.slice(0, 10) >= DEMO_PERIOD_START && date.slice(0, 10) <= DEMO_PERIOD_END;
}

function expectUnique(values: ReadonlyArray<string | null | undefined>): void {
  const seen = new Set<string | null | undefined>();
  const duplicates = values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
  expect(duplicates).toEqual([]);
}

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: string | number) => {
      const rng = new Random(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
    expect(draw(1)).toEqual(draw('1'));
  });

  it('keeps every helper inside its bounds', () => {
    const rng = new Random(7);
    for (let i = 0; i < 500; i++) {
      const n = rng.int(-3, 3);
      expect(n).toBeGreaterThanOrEqual(-3);
      expect(n).toBeLessThanOrEqual(3);
      const d = rng.date('2025-02-27', '2025-03-02');
      expect(d >= '2025-02-27' && d <= '2025-03-02').toBe(true);
      const t = rng.timestamp('2025-01-01', '2025-01-01');
      expect(t.startsWith('2025-01-01T')).toBe(true);
      expect(
        rng.weighted([
          ['never', 0],
          ['always', 1],
        ] as const),
      ).toBe('always');
    }
    expect(rng.sample([1, 2, 3, 4, 5], 5).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(rng.sample([...'abcdefgh'], 4)).size).toBe(4);
    expect(rng.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(() => rng.sample([1], 2)).toThrow(RangeError);
  });

  it('gives forks independent, repeatable streams', () => {
    const root = new Random(1);
    expect(root.fork('x').next()).toBe(new Random(1).fork('x').next());
    expect(root.fork('x').next()).not.toBe(root.fork('y').next());
  });
});

describe('buildDemoCity', () => {
  const small = buildDemoCity(DEMO_SIZES.small);

  it('is a pure function of size and seed', () => {
    expect(JSON.stringify(buildDemoCity(DEMO_SIZES.small))).toBe(JSON.stringify(small));
    const other = buildDemoCity(DEMO_SIZES.small, 1);
    expect(other.seed).toBe(1);
    expect(other.persons.map((p) => p.idNumber)).not.toEqual(small.persons.map((p) => p.idNumber));
    expect(other.criminalChains).not.toEqual(small.criminalChains);
  });

  it("holds the dev grid worker's grid as its first grid, with residents, at every size", () => {
    for (const city of [small, buildDemoCity(DEMO_SIZES.medium)]) {
      expect(city.grids[0].code).toBe(DEV_GRID_CODE);
      expect(city.persons.some((p) => p.gridCode === DEV_GRID_CODE)).toBe(true);
    }
  });

  it("keeps the small city's places and residents when grown to medium", () => {
    const medium = buildDemoCity(DEMO_SIZES.medium);
    const mediumGrids = new Map(medium.grids.map((g) => [g.code, g]));
    for (const grid of small.grids) expect(mediumGrids.get(grid.code)).toEqual(grid);
    const mediumDivisions = new Set(medium.divisions.map((d) => JSON.stringify(d)));
    for (const division of small.divisions) expect(mediumDivisions.has(JSON.stringify(division))).toBe(true);
  });

  it('serves community corrections of every kind, 缓刑 dominant, with warnings and pre-sentence assessments', () => {
    const chains = buildDemoCity(DEMO_SIZES.medium).criminalChains;
    const corrections = chains.flatMap((c) => (c.correction ? [c.correction] : []));
    const share = (kind: string) => corrections.filter((c) => c.kind === kind).length / corrections.length;
    expect(share('PROBATION')).toBeGreaterThan(0.8);
    for (const kind of ['PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION', 'PUBLIC_SURVEILLANCE']) expect(share(kind)).toBeGreaterThan(0);
    expect(share('PAROLE')).toBeLessThan(0.15);
    expect(corrections.some((c) => c.events.some((e) => e.kind === 'WARNING'))).toBe(true);
    const assessed = chains.flatMap((c) => (c.trial?.assessment ? [{ trial: c.trial, assessment: c.trial.assessment }] : []));
    expect(assessed.length).toBeGreaterThan(0);
    for (const { trial, assessment } of assessed) {
      expect(assessment.id).toMatch(/^PA20(25|26)\d{6}$/);
      expect(assessment.answeredOn >= trial.filedOn && assessment.answeredOn <= trial.hearingOn).toBe(true);
    }
  });

  it('stops some stories early and tries at least two minors', () => {
    expect(small.criminalChains.some((c) => c.prosecution?.decision === 'NOT_PROSECUTE')).toBe(true);
    expect(small.criminalChains.some((c) => c.stage === 'INVESTIGATING')).toBe(true);
    expect(small.disputes.some((d) => d.outcome === 'FAILED' && d.lawsuitCaseNo !== null)).toBe(true);
    expect(small.criminalChains.filter((c) => c.trial?.juvenile).length).toBeGreaterThanOrEqual(2);
    expect(small.criminalChains.some((c) => c.correction !== null)).toBe(true);
  });

  it('rejects sizes it cannot build', () => {
    expect(() => buildDemoCity({ ...DEMO_SIZES.small, townshipsPerDistrict: 11 })).toThrow(RangeError);
    expect(() => buildDemoCity({ ...DEMO_SIZES.small, personsPerGrid: 2.5 })).toThrow(RangeError);
  });

  it('names 61 volunteer groups', () => {
    expect(VOLUNTEER_GROUPS).toHaveLength(61);
    expectUnique(VOLUNTEER_GROUPS);
  });
});

describe.each([
  ['small', DEMO_SIZES.small],
  ['medium', DEMO_SIZES.medium],
] as const)('the %s demo city', (_name, size: DemoCitySize) => {
  const city: DemoCity = buildDemoCity(size);
  const divisions = new Map(city.divisions.map((d) => [d.code, d]));
  const grids = new Map(city.grids.map((g) => [g.code, g]));
  const persons = new Map(city.persons.map((p) => [p.idNumber, p]));
  const points = new Map(city.mediationPoints.map((p) => [p.id, p]));
  const mediators = new Map(city.mediators.map((m) => [m.id, m]));
  const events = new Map(city.gridEvents.map((e) => [e.id, e]));
  const districts = new Map(DISTRICTS.map((d) => [d.code, d]));

  it('has the six districts and the first townships of each', () => {
    const counties = city.divisions.filter((d) => d.level === 'COUNTY');
    expect(counties.map((d) => d.code)).toEqual(['211402', '211403', '211404', '211421', '211422', '211481']);
    for (const county of counties) expect(county.parentCode).toBe('211400');
    for (const district of DISTRICTS) {
      const expected = townshipsOf(district).slice(0, size.townshipsPerDistrict);
      const actual = city.divisions.filter((d) => d.level === 'TOWNSHIP' && d.parentCode === district.code);
      expect(actual.map((d) => [d.code, d.name])).toEqual(expected.map((t) => [t.code, t.name]));
    }
    for (const township of city.divisions.filter((d) => d.level === 'TOWNSHIP')) {
      expect(township.code).toMatch(/^\d{9}$/);
      expect(township.code.startsWith(township.parentCode ?? '-')).toBe(true);
      const block = township.name.endsWith('街道') ? '0' : township.name.endsWith('镇') ? '1' : '2';
      expect(township.code[6]).toBe(block);
    }
  });

  it('gives every grid a township, a district and exactly one worker', () => {
    expect(city.grids).toHaveLength(6 * size.townshipsPerDistrict * size.gridsPerTownship);
    for (const grid of city.grids) {
      expect(grid.code).toMatch(/^\d{12}$/);
      expect(grid.code.startsWith(grid.townshipCode)).toBe(true);
      expect(divisions.get(grid.townshipCode)?.parentCode).toBe(grid.districtCode);
      expect(divisions.get(grid.districtCode)?.level).toBe('COUNTY');
      expect(grid.village).toMatch(/(村|社区)$/);
      expect(grid.workerId).toBe(`gw-${grid.code}`);
      expect(city.gridWorkers.filter((w) => w.gridCode === grid.code).map((w) => w.id)).toEqual([grid.workerId]);
    }
    expect(city.gridWorkers).toHaveLength(city.grids.length);
  });

  it('registers people with valid, unique ID numbers and well-formed addresses', () => {
    const addressPattern = new Map(
      city.grids.map((grid) => {
        const district = divisions.get(grid.districtCode)?.name ?? '';
        const township = divisions.get(grid.townshipCode)?.name ?? '';
        const house = grid.village.endsWith('村') ? '\\d+组\\d+号' : '\\d+号楼\\d+单元\\d+室';
        return [grid.code, new RegExp(`^辽宁省葫芦岛市${district}${township}${grid.village}${house}$`)];
      }),
    );
    expect(city.persons).toHaveLength(city.grids.length * size.personsPerGrid);
    expectUnique(city.persons.map((p) => p.idNumber));
    for (const person of city.persons) {
      expect(isValidIdNumber(person.idNumber)).toBe(true);
      const parsed = parseIdNumber(person.idNumber);
      expect(parsed.gender).toBe(person.gender);
      expect(parsed.birthDate).toBe(person.birthDate);
      const grid = grids.get(person.gridCode);
      if (!grid) throw new Error(`unknown grid ${person.gridCode}`);
      if (person.householdStatus === 'REGISTERED') expect(parsed.regionCode).toBe(grid.districtCode);
      else expect(parsed.regionCode.startsWith('2114')).toBe(false);
      expect(age(person.birthDate, DEMO_TODAY)).toBeLessThanOrEqual(92);
      expect(person.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(person.address).toMatch(addressPattern.get(grid.code) ?? /^$/);
    }
    const floating = city.persons.filter((p) => p.householdStatus === 'FLOATING').length / city.persons.length;
    expect(floating).toBeGreaterThan(0.05);
    expect(floating).toBeLessThan(0.3);
    expect(city.persons.some((p) => age(p.birthDate, DEMO_TODAY) < 18)).toBe(true);
    expect(city.persons.some((p) => p.rentalHousing)).toBe(true);
  });

  it('refers only to people, grids, points and mediators that exist', () => {
    const referenced = [
      ...city.gridEvents.flatMap((e) => e.involvedIdNumbers),
      ...city.disputes.flatMap((d) => d.partyIdNumbers),
      ...city.criminalChains.flatMap((c) => [...c.suspectIdNumbers, ...c.victimIdNumbers, ...c.witnessIdNumbers]),
      ...city.incidents.flatMap((i) => (i.reporterIdNumber ? [i.reporterIdNumber] : [])),
      ...city.enforcementCases.flatMap((e) => [e.applicantIdNumber, e.respondentIdNumber]),
      ...city.legalAid.map((l) => l.applicantIdNumber),
    ];
    expect(referenced.filter((id) => !persons.has(id))).toEqual([]);
    const gridCodes = [
      ...city.gridEvents.map((e) => e.gridCode),
      ...city.criminalChains.map((c) => c.gridCode),
      ...city.incidents.map((i) => i.gridCode),
      ...city.auxiliaryOfficers.map((a) => a.gridCode),
      ...city.gridWorkers.map((w) => w.gridCode),
    ];
    expect(gridCodes.filter((code) => !grids.has(code))).toEqual([]);
    for (const event of city.gridEvents) expect(event.reportedBy).toBe(grids.get(event.gridCode)?.workerId);
    for (const mediator of city.mediators) expect(points.has(mediator.pointId)).toBe(true);
    for (const point of city.mediationPoints) {
      expect(divisions.get(point.townshipCode)?.parentCode).toBe(point.districtCode);
      const staff = city.mediators.filter((m) => m.pointId === point.id).length;
      expect(staff).toBeGreaterThanOrEqual(2);
      expect(staff).toBeLessThanOrEqual(3);
    }
    for (const chain of city.criminalChains) expect(grids.get(chain.gridCode)?.districtCode).toBe(chain.districtCode);
    for (const incident of city.incidents) expect(grids.get(incident.gridCode)?.districtCode).toBe(incident.districtCode);
  });

  it('opens a talk point in every township and the special rooms', () => {
    for (const township of city.divisions.filter((d) => d.level === 'TOWNSHIP')) {
      const kind = township.name.endsWith('街道') ? 'RESIDENT_TALK_POINT' : 'VILLAGE_TALK_POINT';
      expect(city.mediationPoints.filter((p) => p.townshipCode === township.code && p.kind === kind)).toHaveLength(1);
    }
    expect(city.mediationPoints.filter((p) => p.kind === 'NON_LITIGATION_CENTER').map((p) => p.name)).toEqual(['兴城市非诉讼服务中心']);
    const rooms = city.mediationPoints.filter((p) => p.kind === 'PERSONAL_MEDIATION_ROOM');
    expect(rooms.length).toBeGreaterThan(0);
    for (const room of rooms) expect(room.name).toMatch(/^老.调解室$/);
  });

  it('runs each dispute from a grid event through mediation to court', () => {
    const fromGrid = city.disputes.filter((d) => d.source === 'GRID_EVENT');
    expect(fromGrid).toHaveLength(size.disputes);
    expectUnique(fromGrid.map((d) => d.gridEventId));
    for (const dispute of fromGrid) {
      expect({ incident: dispute.incidentId, petition: dispute.petition }).toEqual({ incident: null, petition: null });
      const event = events.get(dispute.gridEventId!);
      if (!event) throw new Error(`dispute without event ${dispute.gridEventId}`);
      const grid = grids.get(event.gridCode);
      expect(event.kind).toBe('DISPUTE');
      expect(event.status).toBe(dispute.outcome === 'SUCCEEDED' ? 'RESOLVED' : 'REFERRED');
      expect(event.involvedIdNumbers).toEqual(dispute.partyIdNumbers);
      for (const id of dispute.partyIdNumbers) expect(persons.get(id)?.gridCode).toBe(event.gridCode);
      expect(new Set(dispute.partyIdNumbers).size).toBe(dispute.partyIdNumbers.length);
      expect(points.get(dispute.pointId)?.townshipCode).toBe(grid?.townshipCode);
      expect(mediators.get(dispute.mediatorId)?.pointId).toBe(dispute.pointId);
      expect(dispute.courtCode).toBe(districts.get(grid?.districtCode ?? '')?.courtCode);
      expect(dispute.mediationId).toMatch(new RegExp(`^MC${dispute.startedOn.slice(0, 4)}\\d{6}$`));
      expect(event.reportedAt.slice(0, 10) <= dispute.startedOn).toBe(true);
      expect(inPeriod(event.reportedAt) && inPeriod(dispute.startedOn)).toBe(true);
      expect(dispute.closedOn === null).toBe(dispute.outcome === 'IN_PROGRESS');
      if (dispute.closedOn) expect(dispute.startedOn <= dispute.closedOn && inPeriod(dispute.closedOn)).toBe(true);
      expect(dispute.agreement !== null).toBe(dispute.outcome === 'SUCCEEDED');
      if (dispute.confirmationCaseNo !== null) {
        expect(dispute.outcome).toBe('SUCCEEDED');
        expect(dispute.confirmationCaseNo).toMatch(COURT_CASE_NO);
        expect(dispute.confirmationCaseNo).toContain(`${dispute.courtCode}民特`);
      }
      if (dispute.lawsuitCaseNo !== null) {
        expect(dispute.outcome).toBe('FAILED');
        expect(dispute.lawsuitCaseNo).toMatch(COURT_CASE_NO);
        expect(dispute.lawsuitCaseNo).toContain(`${dispute.courtCode}民初`);
      }
    }
    const outcomes = (o: string) => fromGrid.filter((d) => d.outcome === o).length / fromGrid.length;
    expect(outcomes('SUCCEEDED')).toBeCloseTo(0.8, 1);
    expect(outcomes('FAILED')).toBeCloseTo(0.05, 1);
  });

  it('mediates the 110 calls and petitions referred to it (警调对接, 访调对接) at the township point, after the grid disputes of their year', () => {
    const incidents = new Map(city.incidents.map((i) => [i.id, i]));
    const police = city.disputes.filter((d) => d.source === 'POLICE_REFERRAL');
    const petitions = city.disputes.filter((d) => d.source === 'PETITION_REFERRAL');
    // The demo's assumed shares of all mediation cases, 15 % and 3 % (src/demo/mediationReferrals.ts), as far as
    // the city has 纠纷 calls with a known caller (the small city fewer than the share asks for).
    const grid = city.disputes.length - police.length - petitions.length;
    const calls = city.incidents.filter((i) => i.kind === '纠纷' && i.reporterIdNumber !== null).length;
    expect(police.length).toBe(Math.min(calls, Math.round((grid / (1 - POLICE_REFERRAL_SHARE - PETITION_REFERRAL_SHARE)) * POLICE_REFERRAL_SHARE)));
    expect(police.length).toBeGreaterThan(0);
    expect(police.length / city.disputes.length).toBeLessThan(0.2);
    expect(petitions.length).toBeGreaterThan(0);
    expect(petitions.length / city.disputes.length).toBeLessThan(0.06);
    expectUnique(police.map((d) => d.incidentId));
    expectUnique(petitions.map((d) => d.petition?.caseId));
    const lastGridSeq = new Map<string, number>();
    for (const d of city.disputes.filter((x) => x.source === 'GRID_EVENT')) {
      const year = d.mediationId.slice(2, 6);
      lastGridSeq.set(year, Math.max(lastGridSeq.get(year) ?? 0, Number(d.mediationId.slice(6))));
    }
    for (const d of [...police, ...petitions]) {
      const incident = d.incidentId === null ? null : incidents.get(d.incidentId);
      const gridCode = incident ? incident.gridCode : persons.get(d.partyIdNumbers[0])?.gridCode;
      const referredOn = incident ? incident.reportedAt.slice(0, 10) : d.petition!.filedOn;
      expect({
        id: d.mediationId,
        gridEvent: d.gridEventId,
        // A 纠纷 call, its caller the party; a petition of a resident, its petitioner the party.
        kind: incident ? incident.kind : '纠纷',
        party: incident ? incident.reporterIdNumber : d.partyIdNumbers[0],
        resident: persons.has(d.partyIdNumbers[0]),
        petitionNo: d.petition ? /^XF\d{4}5\d{5}$/.test(d.petition.caseId) && d.petition.caseId.slice(2, 6) === d.petition.filedOn.slice(0, 4) : true,
        township: points.get(d.pointId)?.townshipCode,
        mediatorAtPoint: mediators.get(d.mediatorId)?.pointId === d.pointId,
        startsAfterReferral: referredOn <= d.startedOn && inPeriod(d.startedOn),
        numberedAfterGrid: Number(d.mediationId.slice(6)) > (lastGridSeq.get(d.mediationId.slice(2, 6)) ?? 0),
        closed: (d.closedOn === null) === (d.outcome === 'IN_PROGRESS') && (d.agreement !== null) === (d.outcome === 'SUCCEEDED'),
      }).toEqual({
        id: d.mediationId,
        gridEvent: null,
        kind: '纠纷',
        party: d.partyIdNumbers[0],
        resident: true,
        petitionNo: true,
        township: gridCode?.slice(0, 9),
        mediatorAtPoint: true,
        startsAfterReferral: true,
        numberedAfterGrid: true,
        closed: true,
      });
    }
  });

  it('keeps every criminal chain consistent and in date order', () => {
    // The size's chains, then the 民转刑 escalations (next test).
    expect(city.criminalChains.filter((c) => !c.escalatedFrom)).toHaveLength(size.criminalChains);
    for (const chain of city.criminalChains) {
      const district = districts.get(chain.districtCode);
      if (!district) throw new Error(`unknown district ${chain.districtCode}`);
      expect(chain.incidentId).toMatch(/^JQ20(25|26)\d{6}$/);
      expect(chain.policeCaseNo).toMatch(new RegExp(`^A${chain.districtCode}20(25|26)\\d{5}$`));
      expect(chain.officerId).toMatch(new RegExp(`^po-${chain.districtCode}-\\d{3}$`));
      expect(chain.suspectIdNumbers.length).toBeGreaterThanOrEqual(1);
      expect(chain.suspectIdNumbers.length).toBeLessThanOrEqual(2);
      expect(chain.victimIdNumbers.length).toBeLessThanOrEqual(2);
      expect(chain.witnessIdNumbers.length).toBeLessThanOrEqual(1);
      const everyone = [...chain.suspectIdNumbers, ...chain.victimIdNumbers, ...chain.witnessIdNumbers];
      expect(new Set(everyone).size).toBe(everyone.length);

      const { prosecution, trial, correction } = chain;
      expect(prosecution !== null).toBe(chain.stage === 'TRANSFERRED');
      expect(trial !== null).toBe(prosecution?.decision === 'PROSECUTE');
      // 缓刑 and 管制 are served in the community from the judgment; a prison term only on 假释 or 暂予监外执行.
      if (trial?.verdict === 'GUILTY' && (trial.probation || trial.publicSurveillance))
        expect(correction?.kind).toBe(trial.probation ? 'PROBATION' : 'PUBLIC_SURVEILLANCE');
      else if (correction) expect([trial?.verdict, correction.kind]).toEqual(['GUILTY', expect.stringMatching(/^(PAROLE|TEMPORARY_OUTSIDE_EXECUTION)$/)]);
      const steps = [chain.occurredAt.slice(0, 10), chain.filedOn];
      if (prosecution) {
        if (prosecution.arrestReview) expect(prosecution.arrestReview.caseNo).toMatch(new RegExp(`^${district.abbreviation}检捕〔20(25|26)〕\\d+号$`));
        expect(prosecution.prosecutionCaseNo).toMatch(new RegExp(`^${district.abbreviation}检刑诉〔20(25|26)〕\\d+号$`));
        expect(prosecution.prosecutorId).toMatch(new RegExp(`^pr-${chain.districtCode}-\\d{3}$`));
        expect(prosecution.decidedOn === null).toBe(prosecution.decision === 'PENDING');
        if (prosecution.arrestReview) steps.push(prosecution.arrestReview.decidedOn);
        steps.push(prosecution.receivedOn);
        if (prosecution.decidedOn) steps.push(prosecution.decidedOn);
      }
      if (trial) {
        expect(trial.courtCaseNo).toMatch(COURT_CASE_NO);
        expect(trial.courtCaseNo).toContain(`${district.courtCode}刑初`);
        expect(trial.courtCode).toBe(district.courtCode);
        expect(trial.judgeId).toMatch(new RegExp(`^ju-${chain.districtCode}-\\d{3}$`));
        const minorSuspect = chain.suspectIdNumbers.some((id) => age(persons.get(id)?.birthDate ?? '', chain.occurredAt) < 18);
        expect(trial.juvenile).toBe(minorSuspect);
        expect(trial.judgedOn === null).toBe(trial.verdict === null);
        if (trial.verdict === 'GUILTY') {
          expect(trial.sentenceMonths).toBeGreaterThanOrEqual(6);
          expect(trial.sentenceMonths).toBeLessThanOrEqual(60);
        } else {
          expect(trial.sentenceMonths).toBeNull();
          expect(trial.probation).toBe(false);
        }
        steps.push(trial.filedOn, trial.hearingOn);
        if (trial.judgedOn) steps.push(trial.judgedOn);
      }
      if (correction) {
        expect(correction.id).toMatch(new RegExp(`^CC${correction.startOn.slice(0, 4)}\\d{6}$`));
        expect(correction.officerId).toMatch(new RegExp(`^co-${chain.districtCode}-\\d{3}$`));
        expect(correction.startOn < correction.endOn).toBe(true);
        expect(correction.status).toBe(correction.endOn < DEMO_TODAY ? 'COMPLETED' : 'ACTIVE');
        // Reported within 10 days of the start (社区矫正法 art. 21), released on the last day once the period is over.
        expect(correction.reportedOn >= correction.startOn && correction.reportedOn <= addDays(correction.startOn, 10)).toBe(true);
        expect(correction.events[0]).toMatchObject({ kind: 'REPORTED', occurredOn: correction.reportedOn });
        expect(correction.events.filter((e) => e.kind === 'RELEASE').map((e) => e.occurredOn)).toEqual(
          correction.status === 'COMPLETED' ? [correction.endOn] : [],
        );
        expect(correction.events.map((e) => e.occurredOn)).toEqual(correction.events.map((e) => e.occurredOn).sort());
        expect(correction.group.length).toBeGreaterThanOrEqual(3);
        steps.push(correction.startOn);
      }
      expect(steps.every(inPeriod)).toBe(true);
      expect([...steps].sort()).toEqual(steps);
    }
  });

  it('escalates a share of the mediations into an injury case between their parties 1–11 months later (民转刑), listed after the other chains', () => {
    const escalated = city.criminalChains.filter((c) => c.escalatedFrom);
    expect(escalated).toHaveLength(Math.round(city.disputes.length * ESCALATION_SHARE));
    expect(city.criminalChains.slice(-escalated.length)).toEqual(escalated);
    const mediations = new Map(city.disputes.map((d) => [d.mediationId, d]));
    for (const c of escalated) {
      const m = mediations.get(c.escalatedFrom!)!;
      expect(new Set([...c.suspectIdNumbers, ...c.victimIdNumbers])).toEqual(new Set(m.partyIdNumbers));
      expect([c.suspectIdNumbers.length, c.victimIdNumbers.length, c.charge, c.prosecution, c.sealed]).toEqual([1, 1, '故意伤害罪', null, false]);
      const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((k) => addMonths(m.startedOn, k));
      expect(months).toContain(c.filedOn);
      expect(c.gridCode).toBe(persons.get(c.suspectIdNumbers[0])!.gridCode);
      expect(inPeriod(c.filedOn) && c.occurredAt.slice(0, 10) <= c.filedOn && c.occurredAt.slice(0, 10) > m.startedOn).toBe(true);
    }
  });

  it('never reuses a case number or an id', () => {
    const chains = city.criminalChains;
    expectUnique([
      ...city.disputes.flatMap((d) => [d.confirmationCaseNo, d.lawsuitCaseNo]).filter((n): n is string => n !== null),
      ...chains.flatMap((c) => (c.trial ? [c.trial.courtCaseNo] : [])),
      ...city.enforcementCases.map((e) => e.caseNo),
    ]);
    expectUnique(
      chains.flatMap((c) => (c.prosecution ? [c.prosecution.arrestReview?.caseNo, c.prosecution.prosecutionCaseNo].filter((n) => n !== undefined) : [])),
    );
    expectUnique(chains.map((c) => c.policeCaseNo));
    expectUnique([...chains.map((c) => c.incidentId), ...city.incidents.map((i) => i.id)]);
    expectUnique(city.gridEvents.map((e) => e.id));
    expectUnique(city.disputes.map((d) => d.mediationId));
    expectUnique(chains.flatMap((c) => (c.correction ? [c.correction.id] : [])));
    expectUnique(chains.flatMap((c) => (c.trial?.assessment ? [c.trial.assessment.id] : [])));
    expectUnique(city.legalAid.map((l) => l.id));
    expectUnique(city.volunteers.map((v) => v.id));
    expectUnique(city.mediationPoints.map((p) => p.id));
    expectUnique(city.mediators.map((m) => m.id));
    expectUnique(city.auxiliaryOfficers.map((a) => a.id));
    // Record ids carry the year of their record's date, never a fixed one (an incident of 2026 is JQ2026…).
    for (const event of city.gridEvents) expect(event.id).toMatch(new RegExp(`^GE${event.reportedAt.slice(0, 4)}\\d{6}$`));
    for (const incident of city.incidents) expect(incident.id).toMatch(new RegExp(`^JQ${incident.reportedAt.slice(0, 4)}\\d{6}$`));
    for (const aid of city.legalAid) expect(aid.id).toMatch(new RegExp(`^LA${aid.appliedOn.slice(0, 4)}\\d{6}$`));
    for (const id of city.volunteers.map((v) => v.id)) expect(id).toMatch(/^VO\d+$/);
    for (const id of city.mediationPoints.map((p) => p.id)) expect(id).toMatch(/^MP\d+$/);
    for (const id of city.mediators.map((m) => m.id)) expect(id).toMatch(/^MD\d+$/);
    for (const id of city.auxiliaryOfficers.map((a) => a.id)) expect(id).toMatch(/^AX\d+$/);
  });

  it('posts one auxiliary officer per village grid', () => {
    const villageGrids = city.grids.filter((g) => g.village.endsWith('村'));
    expect(city.auxiliaryOfficers.map((a) => a.gridCode)).toEqual(villageGrids.map((g) => g.code));
    for (const officer of city.auxiliaryOfficers) {
      const grid = grids.get(officer.gridCode);
      expect(officer.village).toBe(grid?.village);
      expect(officer.townshipCode).toBe(grid?.townshipCode);
    }
  });

  it('sizes and dates the remaining records', () => {
    expect(city.volunteers).toHaveLength(6 * size.volunteersPerDistrict);
    for (const volunteer of city.volunteers) expect(VOLUNTEER_GROUPS).toContain(volunteer.groupName);
    expect(city.gridEvents.length).toBeGreaterThan(size.disputes);
    expect(city.gridEvents.every((e) => inPeriod(e.reportedAt))).toBe(true);
    expect(city.incidents).toHaveLength(size.extraIncidents);
    expect(city.incidents.every((i) => inPeriod(i.reportedAt))).toBe(true);
    expect(city.enforcementCases).toHaveLength(size.enforcementCases);
    for (const enforcement of city.enforcementCases) {
      expect(enforcement.caseNo).toMatch(COURT_CASE_NO);
      expect(enforcement.caseNo).toContain(`${enforcement.courtCode}执`);
      expect(enforcement.applicantIdNumber).not.toBe(enforcement.respondentIdNumber);
      expect(inPeriod(enforcement.filedOn)).toBe(true);
    }
    expect(city.legalAid).toHaveLength(size.legalAid);
    expect(city.legalAid.every((l) => inPeriod(l.appliedOn) && districts.has(l.districtCode))).toBe(true);
  });
});
