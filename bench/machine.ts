import { readdirSync, readFileSync } from 'node:fs';

/**
 * How busy the machine was during a measurement, and how much of that was not ours: the runner,
 * its server children and its PostgreSQL are one process tree; anything else (another
 * developer's test suite, say) competes for the same cores and makes the figures pessimistic.
 * Linux /proc only; elsewhere the figures are absent.
 */

/** Clock ticks per second of /proc figures (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

interface Snapshot {
  at: bigint;
  machineBusyTicks: number;
  treeTicks: number;
}

function machineBusyTicks(): number {
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return fields.reduce((a, b) => a + b, 0) - idle;
}

/** utime + stime of every process in the tree under `root` (root included). */
function treeTicks(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The process ended meanwhile.
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

export function snapshot(): Snapshot | null {
  try {
    return { at: process.hrtime.bigint(), machineBusyTicks: machineBusyTicks(), treeTicks: treeTicks(process.pid) };
  } catch {
    return null;
  }
}

/** CPU of the whole machine and of processes outside our tree between two snapshots, in % of one core. */
export function machineLoad(before: Snapshot | null, after: Snapshot | null): { machinePercent: number; othersPercent: number } | undefined {
  if (!before || !after) return undefined;
  const seconds = Number(after.at - before.at) / 1e9;
  const machine = (after.machineBusyTicks - before.machineBusyTicks) / USER_HZ / seconds;
  // Processes of ours that ended during the interval drop out of the tree sum; clamp at zero.
  const ours = (after.treeTicks - before.treeTicks) / USER_HZ / seconds;
  return { machinePercent: 100 * machine, othersPercent: Math.max(0, 100 * (machine - ours)) };
}

/**
 * Waits, up to `maxWaitSec`, for a 2-second window in which processes not ours use less than
 * `thresholdPercent` of one core; returns what they used in the last window. A shared machine
 * then gets measured in its quieter moments.
 */
export async function waitForQuiet(maxWaitSec: number, thresholdPercent: number): Promise<number | undefined> {
  const deadline = Date.now() + maxWaitSec * 1000;
  let others: number | undefined;
  do {
    const before = snapshot();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    others = machineLoad(before, snapshot())?.othersPercent;
    if (others === undefined || others < thresholdPercent) return others;
  } while (Date.now() < deadline);
  return others;
}
