import { fork, type ChildProcess } from 'node:child_process';

/**
 * The load generator is one caller asking as fast as it can: per-officer and per-agency rate
 * limits would measure the limiter, not the hub. Every other protection (limits, tokens,
 * policy, audit) stays on. An explicit RATE_LIMIT_* in the environment still wins.
 */
const UNTHROTTLED = Object.fromEntries(
  ['RATE_LIMIT_SUBJECT_PER_MINUTE', 'RATE_LIMIT_SUBJECT_BURST', 'RATE_LIMIT_AGENCY_PER_MINUTE', 'RATE_LIMIT_AGENCY_BURST'].map((k) => [
    k,
    process.env[k] ?? '1000000',
  ]),
);
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The servers under test run in child processes, so the load generator (autocannon, in the
 * parent) never shares an event loop with them and each server's memory and CPU are its own.
 * Parent and child talk over the fork IPC channel: the child announces its URLs, answers stats
 * requests (SQL statements, CPU time, peak RSS) and stops on request.
 */

export interface ChildStats {
  /** SQL statements sent since start, by counter name (e.g. department). */
  sqlStatements: Record<string, number>;
  /** User + system CPU time since start, microseconds. */
  cpuMicros: number;
  /** Peak resident set size since start, bytes (getrusage ru_maxrss). */
  maxRssBytes: number;
}

type ToChild = { kind: 'stats'; id: number } | { kind: 'stop' };
type FromChild = { kind: 'ready'; urls: Record<string, string> } | { kind: 'stats'; id: number; stats: ChildStats } | { kind: 'failed'; error: string };

export interface StartOptions {
  /** Short name, also the log file name. */
  name: string;
  /** Compiled module to run (path relative to this folder, e.g. `hubServer.js`). */
  script: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  logDir: string;
  /** How long the child may take to announce itself. */
  startTimeoutMs?: number;
}

/** A server running in a child process, seen from the benchmark runner. */
export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<number, (s: ChildStats) => void>();
  private exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
    readonly urls: Record<string, string>,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.on('message', (m: FromChild) => {
      if (m.kind === 'stats') this.pending.get(m.id)?.(m.stats);
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  static async start(opts: StartOptions): Promise<BenchChild> {
    mkdirSync(opts.logDir, { recursive: true });
    const logFile = join(opts.logDir, `${opts.name}.log`);
    const fd = openSync(logFile, 'w');
    const proc = fork(join(__dirname, opts.script), opts.args ?? [], {
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...UNTHROTTLED, ...opts.env },
      execArgv: opts.execArgv ?? [],
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    const timeoutMs = opts.startTimeoutMs ?? 120_000;
    const urls = await new Promise<Record<string, string>>((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        proc.kill('SIGKILL');
        const log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
        reject(new Error(`${opts.name}: ${why}\n--- last lines of ${logFile} ---\n${log}`));
      };
      const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
      proc.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
      proc.on('message', (m: FromChild) => {
        if (m.kind === 'failed') fail(m.error);
        if (m.kind !== 'ready' || settled) return;
        settled = true;
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        resolve(m.urls);
      });
    });
    return new BenchChild(opts.name, proc, urls, logFile);
  }

  stats(): Promise<ChildStats> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (s) => {
        this.pending.delete(id);
        resolve(s);
      });
      this.send({ kind: 'stats', id });
    });
  }

  private send(m: ToChild): void {
    this.proc.send(m);
  }

  /** Asks the child to stop cleanly (a CPU profile is written on a clean exit); kills it after a grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.send({ kind: 'stop' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * The child side: call once the server is up. `sqlStatements` is read on every stats request;
 * `stop` runs on the parent's request (or when the parent goes away), then the process exits.
 */
export function serveParent(urls: Record<string, string>, hooks: { sqlStatements?: () => Record<string, number>; stop: () => Promise<void> }): void {
  if (!process.send) throw new Error('this module runs as a child of the benchmark runner (bench/run.ts)');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await hooks.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (m: ToChild) => {
    if (m.kind === 'stop') void stop();
    if (m.kind === 'stats') {
      const cpu = process.cpuUsage();
      const stats: ChildStats = {
        sqlStatements: hooks.sqlStatements?.() ?? {},
        cpuMicros: cpu.user + cpu.system,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      };
      process.send!({ kind: 'stats', id: m.id, stats });
    }
  });
  process.on('disconnect', () => void stop());
  process.send({ kind: 'ready', urls });
}

/** Reports a start-up failure to the parent instead of leaving it waiting. */
export function failToParent(err: unknown): never {
  const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`${error}\n`);
  process.send?.({ kind: 'failed', error: error.split('\n')[0] });
  process.exit(1);
}
