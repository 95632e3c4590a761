import { createHash } from 'node:crypto';

/** One look at a record or a sensitive field, as a subgraph hands it to `audit.append`. */
export interface AccessEntry {
  requestId: string;
  subject: string;
  agency: string;
  operation: string | null;
  documentHash: string | null;
  purpose: string | null;
  entityType: string;
  /** The entity's key (the opaque person key for people, never an ID number). */
  entityId: string | null;
  /** The sensitive field, or `*` for the record itself ("looked up"). */
  field: string;
  decision: 'allow' | 'mask' | 'deny';
  reason: string;
  /** Every response path the value (or record) was served at, dotted. */
  paths: string[];
  /** On a "looked up" row: the fields selected on the record; null on a field's row. */
  fields: string[] | null;
  /** The policy opened the field by break-glass. */
  breakGlass: boolean;
  /** The record is sealed (e.g. a juvenile record). */
  sealed: boolean;
}

/** The field name of a "looked up" row: the record itself. */
export const LOOKED_UP = '*';

/** The reason of a search's row (field `*`, no entity id, `fields` = what it searched by). */
export const SEARCHED = 'searched';

/** A row of the trail: the entry plus what `audit.append` adds — its chain, its place in it and the server's time. */
export interface StoredEntry extends AccessEntry {
  chain: string;
  chainSeq: string;
  at: Date;
}

/** The hash of the row before the first one of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical text of a row: fixed field order, JSON-escaped, so the same row always hashes the same
 * and no field can bleed into its neighbour. The reference is SQL (`audit.canonical`, which
 * `audit.append` hashes); this is an independent recomputation for `verify`, and
 * test/audit.test.ts checks the two agree on stored rows.
 */
export function canonicalEntry(e: StoredEntry): string {
  return JSON.stringify([
    e.chain,
    e.chainSeq,
    e.at.toISOString(),
    e.requestId,
    e.subject,
    e.agency,
    e.operation,
    e.documentHash,
    e.purpose,
    e.entityType,
    e.entityId,
    e.field,
    e.decision,
    e.reason,
    e.paths.join(' '),
    e.fields === null ? null : e.fields.join(' '),
    e.breakGlass,
    e.sealed,
  ]);
}

/** Each row's hash covers the previous row's hash and its own content: editing or deleting a row breaks every hash after it. */
export function chainHash(previousHash: string, e: StoredEntry): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalEntry(e)).digest('hex');
}
