import type { TestHub } from './hub';

/** What the handoff tests (workflow, effects) send through the gateway. */
export const dispatchMutation = (fields: string) =>
  `mutation ($input: DispatchHandoffInput!, $key: String!) { dispatchHandoff(input: $input, idempotencyKey: $key) { ${fields} } }`;

/** A step mutation (`acceptHandoff` …), with the argument that carries its text (`note`, `result` …) when it has one. */
export const stepMutation = (fields: string) => (mutation: string, text?: string) =>
  `mutation ($id: ID!, $key: String!, $v: Int${text ? ', $text: String!' : ''}) { ${mutation}(id: $id, idempotencyKey: $key, expectedVersion: $v${text ? `, ${text}: $text` : ''}) { ${fields} } }`;

/** A grid worker of the first demo grid reports a neighbours' dispute; its event id. */
export async function reportDispute(t: TestHub): Promise<string> {
  const res = await t.query<{ reportGridEvent: { id: string } }>('grid', `mutation ($input: ReportGridEventInput!) { reportGridEvent(input: $input) { id } }`, {
    input: { gridCode: t.city.grids[0].code, kind: 'DISPUTE', title: '邻里噪音纠纷', description: '楼上装修噪音，双方争执' },
  });
  if (res.body.errors) throw new Error(`reportGridEvent: ${res.body.errors[0].message}`);
  return res.body.data!.reportGridEvent.id;
}

/** The 综治中心 dispatcher sends the first demo grid's event `subjectKey` to the district's `toAgency` (`kind`); the handoff's id. */
export async function dispatchFromFirstGrid(t: TestHub, subjectKey: string, kind: 'DISPUTE_MEDIATION' | 'EVENT_HANDLING', feedback: boolean): Promise<string> {
  const grid = t.city.grids[0].code;
  const input = {
    kind,
    subjectKey,
    scopeCode: grid,
    toAgency: kind === 'DISPUTE_MEDIATION' ? 'justice' : 'police',
    toUnitCode: grid.slice(0, 6),
    ...(feedback ? { feedbackAgency: 'grid', feedbackUnitCode: grid } : {}),
    note: '楼上装修噪音，双方争执，请处理',
  };
  const res = await t.query<{ dispatchHandoff: { id: string } }>('zongzhi', dispatchMutation('id'), { input, key: `probe-${kind}-${subjectKey}` });
  if (res.body.errors) throw new Error(`dispatchHandoff: ${res.body.errors[0].message}`);
  return res.body.data!.dispatchHandoff.id;
}

/** Waits (polling the database) until `check` holds; a bounded wait, so a lost effect or delivery fails the test. */
export async function eventually<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
