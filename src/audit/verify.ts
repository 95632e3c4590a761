import { CompactSign, compactVerify, type CryptoKey } from 'jose';
import type { Client } from 'pg';
import { chainHash, GENESIS_HASH, type AccessEntry } from './chain';

export interface ChainReport {
  ok: boolean;
  rows: number;
  lastSeq: string | null;
  lastHash: string;
  /** The first row whose stored hashes do not match the chain, and why. */
  broken?: { seq: string; problem: string };
}

interface StoredRow {
  seq: string;
  at: Date;
  request_id: string;
  subject: string;
  agency: string;
  operation: string | null;
  document_hash: string | null;
  purpose: string | null;
  subgraph: string;
  entity_type: string;
  entity_id: string | null;
  field: string;
  decision: AccessEntry['decision'];
  reason: string;
  prev_hash: string;
  hash: string;
}

const PAGE = 10_000;

/**
 * Walks the whole chain in order, recomputing every hash: an edited row breaks its own hash, a
 * deleted row breaks the link of the row after it. Reads in keyset pages, so memory stays flat.
 */
export async function verifyChain(client: Client, onProgress?: (rows: number) => void): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let lastSeq: string | null = null;
  let rows = 0;
  for (;;) {
    const page: { rows: StoredRow[] } = await client.query<StoredRow>(
      `select seq::text, at, request_id, subject, agency, operation, document_hash, purpose, subgraph, entity_type, entity_id, field, decision, reason, prev_hash, hash
       from audit.access_log l where l.seq > $1::bigint order by l.seq limit $2`, [lastSeq ?? 0, PAGE]);
    for (const r of page.rows) {
      if (r.prev_hash !== prev) return { ok: false, rows, lastSeq, lastHash: prev, broken: { seq: r.seq, problem: 'does not link to the row before it (a row was deleted or re-chained)' } };
      const entry: AccessEntry = {
        at: r.at, requestId: r.request_id, subject: r.subject, agency: r.agency, operation: r.operation, documentHash: r.document_hash, purpose: r.purpose,
        subgraph: r.subgraph, entityType: r.entity_type, entityId: r.entity_id, field: r.field, decision: r.decision, reason: r.reason,
      };
      if (chainHash(prev, entry) !== r.hash) return { ok: false, rows, lastSeq, lastHash: prev, broken: { seq: r.seq, problem: 'content does not match its hash (the row was edited)' } };
      prev = r.hash;
      lastSeq = r.seq;
      rows++;
    }
    onProgress?.(rows);
    if (page.rows.length < PAGE) break;
  }
  return { ok: true, rows, lastSeq, lastHash: prev };
}

/** The chain head, for safekeeping outside the database. */
export interface ChainHead {
  lastSeq: string | null;
  lastHash: string;
  rows: number;
  exportedAt: string;
}

/** Exports the head of an intact chain as a JWS signed with the hub's key. */
export async function signHead(head: ChainHead, key: CryptoKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(head))).setProtectedHeader({ alg: 'ES256', typ: 'pingan-audit-head' }).sign(key);
}

export async function readSignedHead(jws: string, key: CryptoKey): Promise<ChainHead> {
  const { payload } = await compactVerify(jws.trim(), key, { algorithms: ['ES256'] });
  return JSON.parse(new TextDecoder().decode(payload)) as ChainHead;
}

/**
 * Checks the chain still extends an exported head: the row at the head's position must carry the
 * head's hash. A chain recomputed after an edit passes `verifyChain` but fails here.
 */
export async function verifyAgainstHead(client: Client, head: ChainHead): Promise<{ ok: boolean; problem?: string }> {
  if (head.lastSeq === null) return { ok: true };
  const { rows } = await client.query<{ hash: string }>('select hash from audit.access_log where seq = $1', [head.lastSeq]);
  if (!rows.length) return { ok: false, problem: `row ${head.lastSeq} of the exported head is gone` };
  if (rows[0].hash !== head.lastHash) return { ok: false, problem: `row ${head.lastSeq} no longer carries the exported head's hash (the chain was rewritten)` };
  return { ok: true };
}
