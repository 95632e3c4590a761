import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as internalToken from '../src/auth/internalToken';
import { HUB_DATABASE, startHub } from '../src/cli/runtime';
import { withDatabase } from '../src/shared/db';
import { repoRoot } from '../src/shared/paths';
import { BINDING_RESULTS, type BindingResults } from './report';
import { loadConfig } from '../src/shared/config';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { makeHubTokens, personViewRequests, postJson, sampleHubData } from './hubScenarios';
import { percentile } from './load';

/** The binding of internal tokens to their call (issue #14), as the hub runs it. */
const BOUND = { fetchHash: internalToken.fetchHash, bindCall: internalToken.bindCall, verifyCallBinding: internalToken.verifyCallBinding };
/**
 * The same fields carried without the binding's work: no document hash, no MAC to make or check
 * (the one-time `jti` stays, so the replay guard runs in both). Only this benchmark's process uses
 * it: the hub has no switch to turn the binding off.
 */
const UNBOUND: typeof BOUND = {
  fetchHash: () => '',
  bindCall: (_secret, _token, call) => `${call.subgraph}..${call.deadline}.${randomUUID()}.${call.requestId}.`,
  verifyCallBinding: (_secret, _token, header, subgraph) => {
    const [, , deadline, jti, requestId] = (header ?? '').split('.');
    return { subgraph, fetchHash: '', deadline: Number(deadline), jti, requestId };
  },
};
/** Compiled to CommonJS, every caller reads these from the module's exports at each call. */
const useBinding = (fns: typeof BOUND) => Object.assign(internalToken as unknown as Record<string, unknown>, fns);

/**
 * `node dist/bench/personViewLatency.js [requests] [--binding-ab]`: the person view (scenario 1)
 * on one connection, one request after another, against a fresh embedded hub with the demo city —
 * a quick before/after figure for a change on the request path. Prints p50/p95 in ms over
 * `requests` (default 2000) after 200 warm-up requests, and the CPU time of this process (hub and
 * client) per request. `--binding-ab`: the same hub with and without the internal token's call
 * binding (`UNBOUND`), alternating in blocks of 100 requests, `requests` each.
 */
async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
  const ab = process.argv.includes('--binding-ab');
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-latency-'));
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    ...process.env,
    HUB_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SUBJECT_BURST: '1000000',
    RATE_LIMIT_AGENCY_BURST: '1000000',
  });
  const hub = await startHub({ config, city: buildDemoCity(DEMO_SIZES.small), randomPorts: true });
  try {
    // Read as the database's owner: the subgraphs' own logins each see only their schema.
    const samples = await sampleHubData(withDatabase(hub.embedded!.url, HUB_DATABASE));
    const requests = personViewRequests(samples, await makeHubTokens(hub.keys, samples));
    let next = 0;
    const run = async (n: number, ms: number[] | null): Promise<number> => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const request = requests[next++ % requests.length];
        const started = performance.now();
        const answer = await postJson<{ errors?: Array<{ extensions?: { code?: string } }> }>(hub.gatewayUrl, request);
        // The policy's denials are answers (the court's officer is refused other departments' records outside a stated case); anything else is not.
        const failures = (answer.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD');
        if (failures.length) throw new Error(`person view answered errors: ${JSON.stringify(failures).slice(0, 300)}`);
        ms?.push(performance.now() - started);
      }
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / 1000;
    };
    // CPU per request (this process: hub and client) is steadier than latency on a shared machine.
    const report = (label: string, ms: number[], cpuMs: number) => {
      ms.sort((a, b) => a - b);
      const figures = { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), cpuMsPerRequest: cpuMs / ms.length };
      process.stdout.write(
        `person view${label}, 1 connection, ${ms.length} requests: p50 ${figures.p50.toFixed(2)} ms, p95 ${figures.p95.toFixed(2)} ms, CPU ${figures.cpuMsPerRequest.toFixed(2)} ms/request\n`,
      );
      return figures;
    };
    const loadAtStart = loadavg()[0];
    await run(200, null);
    if (!ab) {
      const ms: number[] = [];
      report('', ms, await run(count, ms));
      return;
    }
    const sides = { with: { ms: [] as number[], cpu: 0, fns: BOUND }, without: { ms: [] as number[], cpu: 0, fns: UNBOUND } };
    for (let done = 0; done < count; done += 100) {
      for (const side of done % 200 === 0 ? [sides.with, sides.without] : [sides.without, sides.with]) {
        useBinding(side.fns);
        side.cpu += await run(Math.min(100, count - done), side.ms);
      }
    }
    useBinding(BOUND);
    const bound = report(' with the call binding', sides.with.ms, sides.with.cpu);
    const unbound = report(' without it', sides.without.ms, sides.without.cpu);
    const results: BindingResults = {
      measuredAt: new Date().toISOString(),
      requestsEach: sides.with.ms.length,
      loadAverage: [loadAtStart, loadavg()[0]],
      with: bound,
      without: unbound,
    };
    writeFileSync(join(repoRoot, BINDING_RESULTS), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `the binding's cost: p50 ${(((bound.p50 - unbound.p50) / unbound.p50) * 100).toFixed(1)} %, CPU ${(((bound.cpuMsPerRequest - unbound.cpuMsPerRequest) / unbound.cpuMsPerRequest) * 100).toFixed(1)} % (written to ${BINDING_RESULTS}; \`node dist/bench/report.js\` puts it into docs/performance.md)\n`,
    );
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
