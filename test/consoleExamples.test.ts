import { CONSOLE_EXAMPLES } from '../console/examples';
import { DEV_GRID_CODE } from '../src/auth/devTokens';
import { DEMO_SIZES, buildDemoCity } from '../src/demo/city';
import type { DemoCity } from '../src/demo/types';

/**
 * The console's examples name records of the small demo city by id; test/console.test.ts runs
 * them through the gateway, this checks that each still names a record of the shape its title,
 * hint and comments promise. A change of the city that moves ids fails here with the records that
 * would fit (the first is the one to take).
 */
const example = (name: string) => {
  const found = CONSOLE_EXAMPLES.find((x) => x.name === name);
  if (!found) throw new Error(`no console example ${name}`);
  return found;
};
/** The dev officers' district (连山区), where the examples are written to run. */
const DISTRICT = DEV_GRID_CODE.slice(0, 6);

let city: DemoCity;
beforeAll(() => {
  city = buildDemoCity(DEMO_SIZES.small);
});

/** Cases of the dev district that crossed all four departments of the case journey: police, procuratorate (with an arrest review), court, community correction. */
const fullJourneys = () =>
  city.criminalChains.filter((c) => c.districtCode === DISTRICT && !c.sealed && c.prosecution?.arrestReview && c.trial && c.correction);

describe('console examples name records of the demo city of the shape they promise', () => {
  it('CaseJourney: a case of 连山区 from the police to community correction; its hint, a sealed juvenile case that reached court', () => {
    const journey = example('CaseJourney');
    expect(fullJourneys().map((c) => c.policeCaseNo)).toContain(journey.variables.caseNo);
    const sealedNo = /sealed juvenile case \((A\d+)\)/.exec(journey.hint)?.[1];
    expect(city.criminalChains.filter((c) => c.sealed && c.trial).map((c) => c.policeCaseNo)).toContain(sealedNo);
  });

  it("PersonView: a resident of 连山区 who is the suspect of the CaseJourney's case, so every department has a part", () => {
    const suspects = fullJourneys()
      .filter((c) => c.policeCaseNo === example('CaseJourney').variables.caseNo)
      .flatMap((c) => c.suspectIdNumbers)
      .filter((id) => city.persons.find((p) => p.idNumber === id)?.gridCode.startsWith(DISTRICT));
    expect(suspects).toContain(example('PersonView').variables.idNumber);
  });

  it('DisputeJourney: a dispute of 连山区 whose mediation went on to court (an agreement confirmed, or a lawsuit after it failed)', () => {
    const events = new Map(city.gridEvents.map((e) => [e.id, e]));
    const toCourt = city.disputes.filter((d) => (d.confirmationCaseNo || d.lawsuitCaseNo) && events.get(d.gridEventId ?? '')?.gridCode.startsWith(DISTRICT));
    expect(toCourt.map((d) => d.gridEventId)).toContain(example('DisputeJourney').variables.id);
  });

  it('MediationReferral: a 连山区 mediation the police referred (警调对接), with its call', () => {
    const referred = city.disputes.filter(
      (d) => d.source === 'POLICE_REFERRAL' && city.incidents.find((i) => i.id === d.incidentId)?.gridCode.startsWith(DISTRICT),
    );
    expect(referred.map((d) => d.mediationId)).toContain(example('MediationReferral').variables.id);
  });

  it('DistrictStatistics: the dev district', () => {
    expect(example('DistrictStatistics').variables.code).toBe(DISTRICT);
  });
});
