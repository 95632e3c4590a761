import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryBuckets, RedisBuckets, type Bucket } from '../src/gateway/rateLimit';
import { startTestHub, type TestHub } from './support/hub';

const DISTRICT = '{ district(code: "211402") { code } }';

/** Sends DISTRICT as an officer of `agency` with subject `sub`; returns what a client sees. */
async function ask(t: TestHub, agency: 'police' | 'court', sub: string) {
  const before = t.subgraphRequests();
  const res = await t.query({ token: await t.token(agency, { sub }) }, DISTRICT);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), error: res.body.errors?.[0], calls: t.subgraphRequests() - before };
}

describe('rate limits per subject and per agency (in memory, one gateway)', () => {
  let t: TestHub;
  beforeAll(async () => {
    // Buckets refill at 1 token a minute: nothing refills during the test.
    t = await startTestHub({
      RATE_LIMIT_SUBJECT_BURST: '3',
      RATE_LIMIT_SUBJECT_PER_MINUTE: '1',
      RATE_LIMIT_AGENCY_BURST: '5',
      RATE_LIMIT_AGENCY_PER_MINUTE: '1',
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a burst over the subject limit with 429, RATE_LIMITED and Retry-After, before any subgraph; other subjects go on', async () => {
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push(await ask(t, 'police', 'officer-a'));
    expect(burst.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    const refused = burst[3];
    expect(refused.status).toBe(429);
    expect(refused.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'subject' });
    // One token a minute: the next is at most a minute away.
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.error?.extensions?.retryAfter).toBe(Number(refused.retryAfter));
    expect(refused.calls).toBe(0);

    // Another officer of the same agency is not affected by officer-a's bucket…
    expect((await ask(t, 'police', 'officer-b')).status).toBe(200);
    // …but the agency bucket (5) is shared: a's three and b's first took four; the refused request took none.
    expect((await ask(t, 'police', 'officer-b')).status).toBe(200);
    const agencyRefused = await ask(t, 'police', 'officer-c');
    expect({ status: agencyRefused.status, scope: agencyRefused.error?.extensions?.scope, calls: agencyRefused.calls }).toEqual({
      status: 429,
      scope: 'agency',
      calls: 0,
    });
    // Another agency has its own bucket.
    expect((await ask(t, 'court', 'judge-a')).status).toBe(200);
  });

  it('limits /stats.csv from the same buckets as /graphql: 429 once the subject has spent them', async () => {
    const token = await t.token('analyst', { sub: 'analyst-csv' });
    const csv = () => fetch(`${t.url.replace(/\/graphql$/, '/stats.csv')}?query=districts`, { headers: { authorization: `Bearer ${token}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await csv()).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await csv();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // The same subject's next GraphQL request finds the bucket empty too.
    expect((await t.query({ token }, DISTRICT)).status).toBe(429);
  });
});

describe('token bucket arithmetic (in memory, with a clock we move)', () => {
  it('refills at perMinute up to burst, and takes from all buckets of a request or from none', async () => {
    let now = 0;
    const store = new MemoryBuckets(() => now);
    const subject: Bucket = { key: 'subject:x', limit: { perMinute: 60, burst: 2 } };
    const agency: Bucket = { key: 'agency:police', limit: { perMinute: 60, burst: 3 } };
    expect((await store.take([subject, agency])).waitMs).toBe(0);
    expect((await store.take([subject, agency])).waitMs).toBe(0);
    expect(await store.take([subject, agency])).toEqual({ waitMs: 1000, refusedBy: 0 });
    now += 500;
    expect((await store.take([subject, agency])).waitMs).toBe(500);
    now += 500;
    // One token back in the subject bucket; the agency bucket had 1 left and got 1 back.
    expect((await store.take([subject, agency])).waitMs).toBe(0);
    expect((await store.take([{ key: 'subject:y', limit: subject.limit }, agency])).waitMs).toBe(0);
    expect(await store.take([{ key: 'subject:z', limit: subject.limit }, agency])).toEqual({ waitMs: 1000, refusedBy: 1 });
    // Refused requests took nothing: subject:z still has its full burst once the agency refills.
    now += 60_000;
    expect((await store.take([{ key: 'subject:z', limit: subject.limit }, agency])).waitMs).toBe(0);
    expect((await store.take([{ key: 'subject:z', limit: subject.limit }, agency])).waitMs).toBe(0);
  });
});

/** Whether a Redis server answers on 127.0.0.1:6379 (checked once, synchronously, so the suite can skip). */
function redisReachable(): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', "require('net').connect(6379, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"],
    { timeout: 3_000 },
  );
  return probe.status === 0;
}

const REDIS_URL = 'redis://127.0.0.1:6379';
const redisUp = redisReachable();
if (!redisUp) console.warn('SKIPPED: no Redis on 127.0.0.1:6379, so the shared (Redis) rate-limit tests did not run');

(redisUp ? describe : describe.skip)('rate limits shared through Redis (REDIS_URL)', () => {
  it('lets two gateways draw from one bucket: what one used, the other cannot', async () => {
    const prefix = `pingan-hub-test:${randomBytes(4).toString('hex')}:`;
    const [a, b] = [new RedisBuckets(REDIS_URL, prefix), new RedisBuckets(REDIS_URL, prefix)];
    await a.connect();
    await b.connect();
    try {
      const bucket: Bucket = { key: 'subject:shared', limit: { perMinute: 1, burst: 3 } };
      expect((await a.take([bucket])).waitMs).toBe(0);
      expect((await b.take([bucket])).waitMs).toBe(0);
      expect((await a.take([bucket])).waitMs).toBe(0);
      const refused = await b.take([bucket]);
      expect(refused.refusedBy).toBe(0);
      expect(refused.waitMs).toBeGreaterThan(0);
      expect(refused.waitMs).toBeLessThanOrEqual(60_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses through the gateway with REDIS_URL set, and falls back to memory when Redis is unreachable', async () => {
    const t = await startTestHub({ REDIS_URL, RATE_LIMIT_SUBJECT_BURST: '2', RATE_LIMIT_SUBJECT_PER_MINUTE: '1', RATE_LIMIT_AGENCY_PER_MINUTE: '0' });
    try {
      const sub = `officer-${randomBytes(4).toString('hex')}`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ask(t, 'police', sub)).status);
      expect(statuses).toEqual([200, 200, 429]);
      // The bucket is in Redis, not in the gateway's memory.
      const redis = new Redis(REDIS_URL);
      try {
        expect(await redis.hget(`pingan-hub:rate:subject:${sub}`, 'tokens')).not.toBeNull();
      } finally {
        redis.disconnect();
      }
    } finally {
      await t.stop();
    }
    // Nothing listens on port 1: the gateway still limits, per gateway.
    const offline = await startTestHub({
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_SUBJECT_BURST: '2',
      RATE_LIMIT_SUBJECT_PER_MINUTE: '1',
      RATE_LIMIT_AGENCY_PER_MINUTE: '0',
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ask(offline, 'police', 'officer-offline')).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await offline.stop();
    }
  });
});
