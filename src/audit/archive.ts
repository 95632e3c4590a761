import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, type CryptoKey } from 'jose';
import type { ClientBase } from 'pg';
import { chainNames, verifyChain, type ChainPosition } from './verify';

/** What an archived month carries: its rows' file and, per chain, where its segment starts and ends. */
export interface ArchiveManifest {
  partition: string;
  rows: number;
  /** SHA-256 of the rows file (JSON lines, ordered by chain and position). */
  sha256: string;
  /** Per chain: the position before the segment (its first row's `prev_hash`) and the segment's last row. */
  chains: Record<string, { after: ChainPosition; last: ChainPosition }>;
  archivedAt: string;
}

const PAGE = 10_000;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The trail's monthly partitions wholly before `before` (YYYY-MM), oldest first. */
async function partitionsBefore(client: ClientBase, before: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'audit.access_log'::regclass and c.relname ~ '^access_log_[0-9]{4}_[0-9]{2}$' order by 1`,
  );
  const limit = `access_log_${before.replace('-', '_')}`;
  return rows.map((r) => r.name).filter((n) => n < limit);
}

/**
 * Retention: moves every closed month before `before` out of the database, oldest first — its
 * rows to `<dir>/<partition>.jsonl`, a manifest signed with the hub's key beside it
 * (`<partition>.jws`: row count, file hash, and per chain the segment's first link and last row),
 * then `audit.archive_partition` drops the partition and moves each chain's base to its last
 * archived row, so what stays verifies on its own and the archive carries its own head. Refuses
 * when any chain does not verify first, and never drops a month whose files were not written.
 */
export async function archiveBefore(client: ClientBase, before: string, dir: string, signingKey: CryptoKey): Promise<ArchiveManifest[]> {
  if (!MONTH.test(before)) throw new Error(`--before ${JSON.stringify(before)}: expected a month YYYY-MM`);
  const thisMonth = new Date().toISOString().slice(0, 7);
  if (before > thisMonth) throw new Error(`--before ${before}: only closed months can be archived (this month is ${thisMonth})`);
  for (const chain of await chainNames(client)) {
    const report = await verifyChain(client, chain);
    if (!report.ok) throw new Error(`chain ${chain} does not verify (row ${report.broken!.seq}: ${report.broken!.problem}); nothing archived`);
  }
  mkdirSync(dir, { recursive: true });
  const done: ArchiveManifest[] = [];
  for (const partition of await partitionsBefore(client, before)) {
    const file = join(dir, `${partition}.jsonl`);
    const hash = createHash('sha256');
    const chains: ArchiveManifest['chains'] = {};
    let rows = 0;
    writeFileSync(`${file}.tmp`, '', { flag: 'wx' });
    for (let last: [string, string] = ['', '0']; ;) {
      const page = await client.query<{ row: Record<string, unknown>; chain: string; chain_seq: string; prev_hash: string; hash: string }>(
        `select to_jsonb(p) as row, p.chain, p.chain_seq::text as chain_seq, p.prev_hash, p.hash from audit."${partition}" p
         where (p.chain, p.chain_seq) > ($1, $2::bigint) order by p.chain, p.chain_seq limit $3`,
        [last[0], last[1], PAGE],
      );
      const text = page.rows.map((r) => `${JSON.stringify(r.row)}\n`).join('');
      appendFileSync(`${file}.tmp`, text);
      hash.update(text);
      for (const r of page.rows) {
        chains[r.chain] ??= { after: { seq: String(BigInt(r.chain_seq) - 1n), hash: r.prev_hash }, last: { seq: r.chain_seq, hash: r.hash } };
        chains[r.chain].last = { seq: r.chain_seq, hash: r.hash };
      }
      rows += page.rows.length;
      if (page.rows.length < PAGE) break;
      const tail = page.rows[page.rows.length - 1];
      last = [tail.chain, tail.chain_seq];
    }
    const manifest: ArchiveManifest = { partition, rows, sha256: hash.digest('hex'), chains, archivedAt: new Date().toISOString() };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(manifest)))
      .setProtectedHeader({ alg: 'ES256', typ: 'pingan-audit-archive' })
      .sign(signingKey);
    writeFileSync(join(dir, `${partition}.jws`), `${jws}\n`, { flag: 'wx' });
    renameSync(`${file}.tmp`, file);
    // Dropping a partition waits for every transaction using the trail: fail rather than hang.
    await client.query(`set lock_timeout = '10s'`);
    await client.query('select audit.archive_partition($1)', [partition]);
    done.push(manifest);
  }
  return done;
}
