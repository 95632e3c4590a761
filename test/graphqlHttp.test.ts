import { startTestHub, type TestHub } from './support/hub';
import { auditGraphqlHttp, failedMusts, mustCount } from './support/graphqlHttpAudit';

/**
 * The GraphQL-over-HTTP audit suite of graphql-http against the gateway in dev mode with the
 * settings production forces (no introspection for non-admins, no error details, no APQ); production
 * mode itself (`HUB_MODE=production`, the `hub serve` processes with their own keys) is audited on
 * the distributed test's processes (test/distributed.test.ts), which start them once for the suite.
 * CSRF prevention stays on, so GET requests without a preflight header are refused, which the spec
 * allows (a MAY). Some audits query `__type`, which only admin may: the suite runs as admin, and as
 * an officer for the record.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' });
});
afterAll(async () => {
  await t?.stop();
});

it('passes every MUST audit of the GraphQL-over-HTTP spec (and reports the others)', async () => {
  const results = await auditGraphqlHttp(t.url, await t.token('admin'), 'in dev mode as admin');
  expect(failedMusts(results)).toEqual([]);
  expect(mustCount(results)).toBeGreaterThanOrEqual(13);
});

it('fails, as an officer, only the MUST audits that introspect (`__type`), which the policy refuses', async () => {
  const results = await auditGraphqlHttp(t.url, await t.token('police'), 'in dev mode as police');
  expect(
    failedMusts(results)
      .map((r) => r.id)
      .sort(),
  ).toEqual(['28B9', 'BF61']);
});
