import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CryptoKey } from 'jose';
import { Client } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { logger } from '../shared/logger';
import { metricsRegistry } from '../shared/metrics';
import type { AlertThresholds } from '../shared/config';
import { ALERT_KINDS, findAlerts } from './alerts';
import { chainNames, GENESIS, readSignedHeads, signHeads, verifyChain, type ChainPosition, type ExportedHeads } from './verify';

export const headExports = new Counter({
  name: 'hub_audit_head_exports_total',
  help: 'Scheduled exports of the audit chain heads, by outcome: ok, unchanged, failed (the target or the database), broken (a chain does not verify).',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});
const activeAlerts = new Gauge({
  name: 'hub_audit_alerts',
  help: 'Oversight alerts over the audit trail of the last 24 hours, by kind (bulkExtraction, outsideJurisdiction, breakGlass, sealedAccess, oddHours, repeatedReads).',
  labelNames: ['kind'],
  registers: [metricsRegistry],
});
const headExportedAt = new Gauge({
  name: 'hub_audit_head_last_export_seconds',
  help: 'When the audit chain heads were last exported (unix time).',
  registers: [metricsRegistry],
});

export interface HeadExportOptions {
  /** The database holding the trail. */
  databaseUrl: string;
  /** The directory signed heads are written to (one file per export, never overwritten). */
  dir: string;
  /** How often to export; 0: never on a timer. */
  intervalMs: number;
  signingKey: CryptoKey;
  /** Thresholds of the alerts counted in `hub_audit_alerts` at each export. */
  alerts: AlertThresholds;
}

/** File names sort in export order: `heads-<time>.jws`. */
function fileName(exportedAt: string): string {
  return `heads-${exportedAt.replace(/[:.]/g, '-')}.jws`;
}

/** The signed heads files of a directory, oldest first. */
export function headFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^heads-.*\.jws$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Exports the head of every chain, signed, to a place outside the audit database, on a schedule.
 * Each export first verifies each chain from the previous export's head to its end (so rows
 * deleted or rewritten since are caught at the next export), and writes a file only when a head
 * moved; it also counts oversight's alerts (`hub_audit_alerts`). A failure never stops the hub: it is logged loudly, counted, and shown as `degraded`
 * on readiness until an export succeeds.
 */
export class HeadExporter {
  private timer: NodeJS.Timeout | undefined;
  private last: ExportedHeads | null = null;
  private running: Promise<string> | null = null;
  /** What is wrong with the last export (null: it worked). */
  problem: string | null = null;

  constructor(private readonly opts: HeadExportOptions) {}

  start(): void {
    if (this.opts.intervalMs > 0) {
      this.timer = setInterval(() => void this.exportNow(), this.opts.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs one export now (one at a time); resolves to its outcome. */
  exportNow(): Promise<string> {
    this.running ??= this.exportOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async previous(): Promise<ExportedHeads | null> {
    if (this.last) return this.last;
    let files: string[];
    try {
      files = headFiles(this.opts.dir);
    } catch {
      return null; // no directory yet: the first export
    }
    const newest = files.at(-1);
    return newest ? readSignedHeads(readFileSync(newest, 'utf8'), this.opts.signingKey) : null;
  }

  /** Records a failed export; logged as an error when it starts or changes (the metric counts every one). */
  private fail(problem: string, details: Record<string, unknown>, message: string): void {
    if (problem !== this.problem) logger.error(details, message);
    this.problem = problem;
  }

  /** Oversight's alerts of the last 24 hours as a metric, so they can page someone. */
  private async countAlerts(client: Client): Promise<void> {
    const now = new Date();
    const alerts = await findAlerts(
      async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
      new Date(now.getTime() - 86_400_000),
      now,
      this.opts.alerts,
    );
    for (const kind of ALERT_KINDS) activeAlerts.set({ kind }, alerts.filter((a) => a.kind === kind).length);
  }

  private async exportOnce(): Promise<string> {
    const client = new Client({ connectionString: this.opts.databaseUrl, application_name: 'pingan-hub-audit-heads', statement_timeout: 60_000 });
    client.on('error', () => undefined);
    let outcome: 'ok' | 'unchanged' | 'failed' | 'broken' = 'failed';
    try {
      await client.connect();
      // Next months' partitions, ahead of time (rows outside them land in the default partition).
      await client.query(`select audit.ensure_partitions((now() at time zone 'UTC')::date, 3)`);
      await this.countAlerts(client).catch((err: unknown) =>
        logger.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'audit alerts could not be counted'),
      );
      const previous = await this.previous();
      const heads: Record<string, ChainPosition> = {};
      const problems: string[] = [];
      for (const chain of await chainNames(client)) {
        const report = await verifyChain(client, chain, previous?.heads[chain] ?? GENESIS);
        if (!report.ok) problems.push(`${chain}: row ${report.broken!.seq}: ${report.broken!.problem}`);
        heads[chain] = report.head;
      }
      if (problems.length) {
        outcome = 'broken';
        this.fail(
          `chain does not verify since the last export: ${problems.join('; ')}`,
          { problems },
          'AUDIT TRAIL TAMPERED: a chain does not verify since the last exported head; no head exported',
        );
        return outcome;
      }
      if (previous && JSON.stringify(previous.heads) === JSON.stringify(heads)) {
        outcome = 'unchanged';
        this.problem = null;
        return outcome;
      }
      const exported: ExportedHeads = { exportedAt: new Date().toISOString(), heads };
      const jws = await signHeads(exported, this.opts.signingKey);
      mkdirSync(this.opts.dir, { recursive: true });
      const file = join(this.opts.dir, fileName(exported.exportedAt));
      writeFileSync(`${file}.tmp`, `${jws}\n`, { flag: 'wx' });
      renameSync(`${file}.tmp`, file);
      this.last = exported;
      this.problem = null;
      headExportedAt.set(Date.now() / 1000);
      outcome = 'ok';
      return outcome;
    } catch (err) {
      const { message, code } = err as Error & { code?: string };
      this.fail(
        `export failed: ${message.split('\n')[0]}`,
        { err: { message, code }, dir: this.opts.dir },
        'AUDIT HEAD EXPORT FAILED: chain heads are not leaving the database',
      );
      return outcome;
    } finally {
      headExports.inc({ outcome });
      await client.end().catch(() => undefined);
    }
  }
}
