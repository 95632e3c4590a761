import { createHash } from 'node:crypto';

/** One access to a sensitive field, as the audit trail stores it. */
export interface AccessEntry {
  at: Date;
  requestId: string;
  subject: string;
  agency: string;
  operation: string | null;
  documentHash: string | null;
  purpose: string | null;
  subgraph: string;
  entityType: string;
  /** The entity's key (the opaque person key for people, never an ID number). */
  entityId: string | null;
  field: string;
  decision: 'allow' | 'mask' | 'deny';
  reason: string;
}

/** The hash of the row before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical text of an entry: fixed field order, JSON-escaped, so the same entry always hashes
 * the same and no field can bleed into its neighbour.
 */
export function canonicalEntry(e: AccessEntry): string {
  return JSON.stringify([
    e.at.toISOString(), e.requestId, e.subject, e.agency, e.operation, e.documentHash, e.purpose,
    e.subgraph, e.entityType, e.entityId, e.field, e.decision, e.reason,
  ]);
}

/** Each row's hash covers the previous row's hash and its own content: editing or deleting a row breaks every hash after it. */
export function chainHash(previousHash: string, e: AccessEntry): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalEntry(e)).digest('hex');
}
