import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../src/cli/runtime';
import { loadConfig } from '../src/shared/config';
import { buildDemoCity, DEMO_SIZES } from '../src/demo/city';
import { makeHubTokens, personViewRequests, postJson, sampleHubData } from './hubScenarios';
import { percentile } from './load';

/**
 * `node dist/bench/personViewLatency.js [requests]`: the person view (scenario 1) on one
 * connection, one request after another, against a fresh embedded hub with the demo city — a
 * quick before/after figure for a change on the request path (e.g. one internal token per
 * subgraph call). Prints p50/p95 in ms over `requests` (default 2000) after 200 warm-up requests,
 * and the CPU time of this process (hub and client) per request.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-latency-'));
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const config = loadConfig({ ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_SUBJECT_BURST: '1000000', RATE_LIMIT_AGENCY_BURST: '1000000' });
  const hub = await startHub({ config, city: buildDemoCity(DEMO_SIZES.small), randomPorts: true });
  try {
    const running = Object.values(hub.subgraphs)[0];
    const samples = await sampleHubData(running.orm.config.get('clientUrl'));
    const requests = personViewRequests(samples, await makeHubTokens(hub.keys, samples.gridCodes));
    const ms: number[] = [];
    let cpu = process.cpuUsage();
    for (let i = 0; i < count + 200; i++) {
      if (i === 200) cpu = process.cpuUsage();
      const request = requests[i % requests.length];
      const started = performance.now();
      const answer = await postJson<{ errors?: unknown[] }>(hub.gatewayUrl, request);
      if (answer.errors) throw new Error(`person view answered errors: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      if (i >= 200) ms.push(performance.now() - started);
    }
    const used = process.cpuUsage(cpu);
    ms.sort((a, b) => a - b);
    // CPU per request (this process: hub and client) is steadier than latency on a shared machine.
    const cpuMs = (used.user + used.system) / 1000 / count;
    process.stdout.write(`person view, 1 connection, ${count} requests: p50 ${percentile(ms, 0.5).toFixed(2)} ms, p95 ${percentile(ms, 0.95).toFixed(2)} ms, CPU ${cpuMs.toFixed(2)} ms/request\n`);
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
