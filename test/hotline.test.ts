import { hotlineApi } from '../src/subgraphs/hotline/api';
import { startTestHub, type TestHub } from './support/hub';
import { asAdmin, deniedAgency, personOf, unexpected } from './support/scaffolded';

/**
 * The hotline department (scaffolded from its OpenAPI spec) through the gateway, compared with what
 * its API answers. The API: API_URL_HOTLINE when set, else the spec's server (or the dev stand-in, if any).
 */
let t: TestHub;
beforeAll(async () => {
  const own = process.env.API_URL_HOTLINE;
  t = await startTestHub(own ? { API_URL_HOTLINE: own } : {});
});
afterAll(async () => {
  await t?.stop();
});

/** What the API itself answers (read straight from it, as the hub's client is configured). */
async function upstream(path: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${hotlineApi.baseUrl.replace(/\/$/, '')}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Array<Record<string, unknown>>;
}

describe('HotlineTicket (Ticket of the API)', () => {
  const SELECTION = 'gdbh qd lb nr slsj zt cbqx ldrdh myd person { id } district { code }';
  const answered = (r: Record<string, unknown>) => ({
    gdbh: r.gdbh,
    qd: asAdmin('HotlineTicket', 'qd', r, r.qd ?? null),
    lb: asAdmin('HotlineTicket', 'lb', r, r.lb ?? null),
    nr: asAdmin('HotlineTicket', 'nr', r, r.nr ?? null),
    slsj: asAdmin('HotlineTicket', 'slsj', r, r.slsj ?? null),
    zt: asAdmin('HotlineTicket', 'zt', r, r.zt ?? null),
    cbqx: asAdmin('HotlineTicket', 'cbqx', r, r.cbqx ?? null),
    ldrdh: asAdmin('HotlineTicket', 'ldrdh', r, r.ldrdh ?? null),
    myd: asAdmin('HotlineTicket', 'myd', r, r.myd ?? null),
    person: personOf(r.ldrsfzh as string | null),
    district: r.cbqx ? { code: r.cbqx } : null,
  });

  it('answers what the API answers, as admin, as the policy shows it; many records by key in one request', async () => {
    const rows = (await upstream('/tickets')).slice(0, 5);
    expect(rows.length).toBeGreaterThan(0);
    const list = await t.query<{ hotlineTickets: unknown[] }>('admin', `{ hotlineTickets(first: ${rows.length}) { ${SELECTION} } }`);
    expect(unexpected(list.body.errors)).toEqual([]);
    expect(list.body.data!.hotlineTickets).toEqual(rows.map(answered));
    const keys = rows.map((r) => String(r.gdbh));
    const one = await t.subgraphQuery<{ _entities: unknown[] }>(
      'hotline',
      'admin',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on HotlineTicket { ${SELECTION} } } }`,
      { r: [...keys, 'no-such-key'].map((k) => ({ __typename: 'HotlineTicket', gdbh: k })) },
    );
    expect(unexpected(one.body.errors)).toEqual([]);
    expect(one.body.data!._entities).toEqual([...rows.map(answered), null]);
  });

  it('denies the agencies the policy does not grant (deny by default)', async () => {
    const res = await t.query(deniedAgency('hotlineTickets'), '{ hotlineTickets(first: 1) { gdbh } }');
    expect(res.body.data?.hotlineTickets ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});
