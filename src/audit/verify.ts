import { CompactSign, compactVerify, type CryptoKey } from 'jose';
import type { ClientBase } from 'pg';
import { chainHash, GENESIS_HASH, type StoredEntry } from './chain';

/** A chain's position: its last row's number in the chain and hash (`0` and the genesis hash when empty). */
export interface ChainPosition {
  seq: string;
  hash: string;
}

export interface ChainReport {
  chain: string;
  ok: boolean;
  /** Rows checked (from the starting position on). */
  rows: number;
  /** Where the walk ended: the last good row. */
  head: ChainPosition;
  /** The first row (or head) that does not match the chain, and why. */
  broken?: { seq: string; problem: string };
}

interface StoredRow {
  chain: string;
  chain_seq: string;
  at: Date;
  request_id: string;
  subject: string;
  agency: string;
  operation: string | null;
  document_hash: string | null;
  purpose: string | null;
  entity_type: string;
  entity_id: string | null;
  field: string;
  decision: StoredEntry['decision'];
  reason: string;
  paths: string[];
  fields: string[] | null;
  break_glass: boolean;
  sealed: boolean;
  prev_hash: string;
  hash: string;
}

const PAGE = 10_000;
export const GENESIS: ChainPosition = { seq: '0', hash: GENESIS_HASH };

function entryOf(r: StoredRow): StoredEntry {
  return {
    chain: r.chain,
    chainSeq: r.chain_seq,
    at: r.at,
    requestId: r.request_id,
    subject: r.subject,
    agency: r.agency,
    operation: r.operation,
    documentHash: r.document_hash,
    purpose: r.purpose,
    entityType: r.entity_type,
    entityId: r.entity_id,
    field: r.field,
    decision: r.decision,
    reason: r.reason,
    paths: r.paths,
    fields: r.fields,
    breakGlass: r.break_glass,
    sealed: r.sealed,
  };
}

/** The chains the trail holds: those registered, and any that only rows name. */
export async function chainNames(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('select name from audit.chain union select distinct chain from audit.access_log order by 1');
  return rows.map((r) => r.name);
}

/**
 * Walks one chain from `from` (an exported head, or the genesis) to its end, recomputing every
 * hash in TypeScript, independently of the SQL that wrote them: an edited row breaks its own hash,
 * a deleted row breaks the link or the numbering of the row after it, and a row at `from` that
 * no longer carries its hash means the chain was rewritten. The end must be the head `audit.append`
 * keeps in `audit.chain` (a deleted tail is caught there). Reads in keyset pages: memory stays flat.
 */
export async function verifyChain(client: ClientBase, chain: string, from: ChainPosition = GENESIS, onProgress?: (rows: number) => void): Promise<ChainReport> {
  const broken = (seq: string, problem: string, rows: number, head: ChainPosition): ChainReport => ({ chain, ok: false, rows, head, broken: { seq, problem } });
  // The head first: rows appended while the walk runs are left for the next one.
  const { rows: stored } = await client.query<{ last_seq: string; last_hash: string; base_seq: string; base_hash: string }>(
    'select last_seq::text, last_hash, base_seq::text, base_hash from audit.chain where name = $1',
    [chain],
  );
  if (!stored.length) return broken(from.seq, 'the chain is not registered in audit.chain', 0, from);
  // Rows up to the base were archived (hub audit archive): the walk starts there.
  const base = { seq: stored[0].base_seq, hash: stored[0].base_hash };
  if (BigInt(from.seq) < BigInt(base.seq)) from = base;
  if (from.seq === base.seq) {
    if (from.hash !== base.hash) return broken(from.seq, 'the archived base no longer carries the hash exported for it (the chain was rewritten)', 0, from);
  } else {
    const { rows } = await client.query<{ hash: string }>('select hash from audit.access_log where chain = $1 and chain_seq = $2', [chain, from.seq]);
    if (!rows.length) return broken(from.seq, 'the row of an exported head is gone', 0, from);
    if (rows[0].hash !== from.hash) return broken(from.seq, 'the row of an exported head no longer carries its hash (the chain was rewritten)', 0, from);
  }
  let head = from;
  let rows = 0;
  for (;;) {
    const page = await client.query<StoredRow>(
      `select chain, chain_seq::text, at, request_id, subject, agency, operation, document_hash, purpose, entity_type, entity_id, field,
              decision, reason, paths, fields, break_glass, sealed, prev_hash, hash
       from audit.access_log l where l.chain = $1 and l.chain_seq > $2::bigint and l.chain_seq <= $3::bigint order by l.chain_seq limit $4`,
      [chain, head.seq, stored[0].last_seq, PAGE],
    );
    for (const r of page.rows) {
      if (BigInt(r.chain_seq) !== BigInt(head.seq) + 1n) return broken(r.chain_seq, `row ${BigInt(head.seq) + 1n} is missing (a row was deleted)`, rows, head);
      if (r.prev_hash !== head.hash) return broken(r.chain_seq, 'does not link to the row before it (a row was deleted or re-chained)', rows, head);
      if (chainHash(head.hash, entryOf(r)) !== r.hash) return broken(r.chain_seq, 'content does not match its hash (the row was edited)', rows, head);
      head = { seq: r.chain_seq, hash: r.hash };
      rows++;
    }
    onProgress?.(rows);
    if (page.rows.length < PAGE) break;
  }
  if (stored[0].last_seq !== head.seq || stored[0].last_hash !== head.hash) {
    return broken(
      head.seq,
      `the chain ends at row ${head.seq} but its head says row ${stored[0].last_seq} (rows were deleted or the head was altered)`,
      rows,
      head,
    );
  }
  return { chain, ok: true, rows, head };
}

/** Heads of every chain at one moment, for safekeeping outside the database. */
export interface ExportedHeads {
  exportedAt: string;
  heads: Record<string, ChainPosition>;
}

const HEADS_TYPE = 'pingan-audit-heads';

/** Signs exported heads with the hub's key (a compact JWS). */
export async function signHeads(heads: ExportedHeads, key: CryptoKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(heads))).setProtectedHeader({ alg: 'ES256', typ: HEADS_TYPE }).sign(key);
}

export async function readSignedHeads(jws: string, key: CryptoKey): Promise<ExportedHeads> {
  const { payload, protectedHeader } = await compactVerify(jws.trim(), key, { algorithms: ['ES256'] });
  if (protectedHeader.typ !== HEADS_TYPE) throw new Error(`not a ${HEADS_TYPE} JWS`);
  return JSON.parse(new TextDecoder().decode(payload)) as ExportedHeads;
}

/**
 * Checks the trail against a run of exported heads (oldest first): no chain's head ever went back,
 * every exported row still carries its exported hash, and each chain verifies from its genesis
 * through every exported head to its end. Returns the problems found (none: it extends them all).
 */
export async function verifyAgainstHeads(client: ClientBase, run: ExportedHeads[]): Promise<string[]> {
  const problems: string[] = [];
  const latest = new Map<string, ChainPosition>();
  const { rows: bases } = await client.query<{ name: string; base_seq: string }>('select name, base_seq::text from audit.chain');
  const archivedUpTo = new Map(bases.map((b) => [b.name, BigInt(b.base_seq)]));
  for (const exported of run) {
    for (const [chain, pos] of Object.entries(exported.heads)) {
      const before = latest.get(chain);
      if (before && BigInt(pos.seq) < BigInt(before.seq))
        problems.push(`${chain}: the head exported at ${exported.exportedAt} (row ${pos.seq}) is behind an earlier one (row ${before.seq})`);
      latest.set(chain, pos);
      // An exported row that has since been archived is checked in its archive (its manifest), not here.
      if (pos.seq !== '0' && BigInt(pos.seq) < (archivedUpTo.get(chain) ?? 0n)) continue;
      const { rows } =
        pos.seq === '0'
          ? { rows: [{ hash: GENESIS_HASH }] }
          : BigInt(pos.seq) === archivedUpTo.get(chain)
            ? await client.query<{ hash: string }>('select base_hash as hash from audit.chain where name = $1', [chain])
            : await client.query<{ hash: string }>('select hash from audit.access_log where chain = $1 and chain_seq = $2', [chain, pos.seq]);
      if (!rows.length) problems.push(`${chain}: row ${pos.seq} of the head exported at ${exported.exportedAt} is gone`);
      else if (rows[0].hash !== pos.hash)
        problems.push(`${chain}: row ${pos.seq} no longer carries the hash exported at ${exported.exportedAt} (the chain was rewritten)`);
    }
  }
  return problems;
}
