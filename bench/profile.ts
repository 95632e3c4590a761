import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, written by `npm run bench -- --profile`): where
 * the time goes by package, and which functions of OUR code (gateway, kit, policy, auth, shared,
 * subgraphs) cost the most including what they call. Also a CLI:
 * `node dist/bench/profile.js bench/results/profiles/hub-policy-on.cpuprofile`.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  /** Time on the CPU in this function itself. */
  selfMs: number;
  /** Time with this function on the stack (itself and everything it called). */
  totalMs: number;
  /** Of the profile's busy (non-idle) time. */
  totalPercent: number;
}

export interface ProfileSummary {
  process: string;
  wallMs: number;
  busyMs: number;
  /** Self time by package (`node_modules/<name>`), our code, Node internals, GC. */
  byPackage: Array<{ name: string; selfMs: number; percent: number }>;
  /** Our functions by inclusive time. */
  ours: HotSpot[];
  /** Any function by self time. */
  topSelf: HotSpot[];
}

const OUR_CODE = /\/(?:dist\/)?src\/(gateway|kit|policy|auth|shared|subgraphs|audit)\//;
const IDLE = new Set(['(idle)', '(program)']);

function packageOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return '(garbage collector)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replace(/.*node_modules\//, 'node_modules/'));
  if (m) return m[1];
  const ours = OUR_CODE.exec(url);
  if (ours) return `ours: src/${ours[1]}`;
  if (url.includes('/bench/')) return 'bench harness';
  if (!url || url.startsWith('node:')) return '(node internals / native)';
  return url;
}

function frameName(f: CallFrame): string {
  const file = f.url.replace(/^file:\/\//, '').replace(/.*\/(dist\/|node_modules\/)/, '$1');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  const urls = new Map<string, string>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i])!;
    if (IDLE.has(leaf.callFrame.functionName)) continue;
    busy += dt;
    const leafName = frameName(leaf.callFrame);
    self.set(leafName, (self.get(leafName) ?? 0) + dt);
    const pkg = packageOf(leaf.callFrame.url, leaf.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
    // Inclusive time: once per distinct function on this sample's stack (recursion counted once).
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const name = frameName(byId.get(id)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      urls.set(name, byId.get(id)!.callFrame.url);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  }
  const spot = (name: string): HotSpot => ({
    name,
    selfMs: self.get(name) ?? 0,
    totalMs: total.get(name) ?? 0,
    totalPercent: (100 * (total.get(name) ?? 0)) / busy,
  });
  return {
    process: basename(file, '.cpuprofile'),
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busy,
    byPackage: [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: ms, percent: (100 * ms) / busy })),
    ours: [...total.keys()]
      .filter((n) => OUR_CODE.test(urls.get(n) ?? ''))
      .map(spot)
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top),
    topSelf: [...self.keys()]
      .map(spot)
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top),
  };
}

export function summariseProfiles(dir: string): ProfileSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => summariseProfile(join(dir, f)));
}

export function formatProfile(s: ProfileSummary): string {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const lines = [`${s.process}: ${ms(s.busyMs)} on the CPU of ${ms(s.wallMs)}`, '  self time by package:'];
  for (const p of s.byPackage) lines.push(`    ${p.percent.toFixed(1).padStart(5)}%  ${ms(p.selfMs).padStart(9)}  ${p.name}`);
  lines.push('  our functions, inclusive time (with what they call):');
  for (const h of s.ours) lines.push(`    ${h.totalPercent.toFixed(1).padStart(5)}%  ${ms(h.totalMs).padStart(9)}  (self ${ms(h.selfMs)})  ${h.name}`);
  lines.push('  top functions by self time:');
  for (const h of s.topSelf) lines.push(`    ${((100 * h.selfMs) / s.busyMs).toFixed(1).padStart(5)}%  ${ms(h.selfMs).padStart(9)}  ${h.name}`);
  return lines.join('\n');
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (!files.length) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile>...\n');
    process.exit(2);
  }
  for (const f of files) process.stdout.write(`${formatProfile(summariseProfile(f, 25))}\n\n`);
}
