/**
 * The policy's cost on the person view (prints numbers, asserts nothing about time): p50 latency
 * of the same requests against a hub with the policy on and one with `POLICY_ENFORCEMENT=off`, in
 * the same run, alternating round by round, one request at a time. The caller is a city-level
 * prosecutor stating the person's case (`x-purpose: case:<police case number>`), so the policy
 * evaluates every condition it has; the purpose check is measured twice: cached (the same officer
 * and case again within 30 s) and established afresh (a new officer each time).
 *
 *   NODE_OPTIONS=--experimental-vm-modules npx jest --testMatch '<rootDir>/test/policyCost.measure.ts'
 */
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) {
    id name gender birthDate idNumber phone address grid { code }
    policeRecords { role policeCase { caseNo charge } }
    prosecutions { caseNo decision }
    courtCases { caseNo kind }
    communityCorrection { id status }
  }
}`;
const PEOPLE = 40;
const ROUNDS = 5;

let on: TestHub;
let off: TestHub;
beforeAll(async () => {
  on = await startTestHub();
  off = await startTestHub({ POLICY_ENFORCEMENT: 'off' });
}, 180_000);
afterAll(async () => {
  await on?.stop();
  await off?.stop();
});

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

it('person view, policy on vs off', async () => {
  const people = await sql<{ id: string; caseNo: string }>(
    on,
    `select distinct on (d.person_id) d.person_id as id, c.police_case_no as "caseNo"
    from procuratorate.prosecution_defendant d join procuratorate.prosecution_case c on c.case_no = d.case_no order by d.person_id limit ${PEOPLE}`,
  );
  const token = { on: await on.token('procuratorate', { jurisdiction: ['211400'] }), off: await off.token('procuratorate', { jurisdiction: ['211400'] }) };
  const time = async (hub: TestHub, bearer: string, id: string, caseNo: string) => {
    const started = performance.now();
    const res = await hub.query({ token: bearer }, PERSON_VIEW, { id }, { 'x-purpose': encodeURIComponent(`case:${caseNo}`) });
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    return ms;
  };
  // Warm-up: JIT, connections, and the purpose cache of the policy-on hub.
  for (const p of people) {
    await time(on, token.on, p.id, p.caseNo);
    await time(off, token.off, p.id, p.caseNo);
  }
  const samples = { on: [] as number[], off: [] as number[], fresh: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of people) {
      samples.on.push(await time(on, token.on, p.id, p.caseNo));
      samples.off.push(await time(off, token.off, p.id, p.caseNo));
    }
    // A new officer each time: the purpose is established anew (the fixed point over the departments).
    for (const p of people.slice(0, 10)) {
      samples.fresh.push(
        await time(on, await on.token('procuratorate', { sub: `pr-measure-${round}-${p.id.slice(1, 9)}`, jurisdiction: ['211400'] }), p.id, p.caseNo),
      );
    }
  }
  const [a, b, c] = [p50(samples.on), p50(samples.off), p50(samples.fresh)];
  console.log(
    `person view p50: policy on ${a.toFixed(1)} ms, policy off ${b.toFixed(1)} ms, ratio ${(a / b).toFixed(2)}× (${samples.on.length} requests each); ` +
      `policy on with the purpose established afresh ${c.toFixed(1)} ms (${samples.fresh.length} requests)`,
  );
}, 600_000);
