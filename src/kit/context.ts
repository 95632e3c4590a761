import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessEntry } from '../audit/chain';
import type { InternalOperation } from '../auth/internalCall';
import type { SubgraphAnswer } from '../shared/inProcess';
import type { Viewer } from '../auth/viewer';
import type { PolicyContext } from '../policy/enforce';
import type { Policy } from '../policy/policy';
import type { PersonKeySql } from '../shared/personKey';
import type { Loaders } from './loaders';

/** What every resolver of a department subgraph receives, built per request. */
export interface SubgraphContext extends PolicyContext {
  department: string;
  viewer: Viewer;
  requestId: string;
  /** The caller's stated purpose (`x-purpose`), e.g. a case number; null when none was given. */
  purpose: string | null;
  /** Case numbers and person keys of the journey established for `purpose` (empty without a case purpose). */
  established: ReadonlySet<string>;
  /** The caller's break-glass reason (`x-break-glass`), null when none. */
  breakGlass: string | null;
  /** The hub service that makes this call on its own (`InternalClaims.service`); null for every caller's request. */
  service: string | null;
  /** The caller's operation name and document hash (for the audit trail). */
  operation: string | null;
  documentHash: string | null;
  /** Epoch ms by which the answer must be back at the gateway (from the internal token); null outside a gateway call. */
  deadline: number | null;
  /** A request-scoped fork of the department's entity manager. */
  em: EntityManager;
  /**
   * Where its statistics release is read: `em`, or for a department whose records stay in its own
   * system, the hub's own schema for it (in the hub's database when that is another one).
   */
  releases: EntityManager;
  loaders: Loaders;
  /** The largest page of any list (`MAX_PAGE_SIZE`). */
  maxPageSize: number;
  policy: Policy;
  /** The opaque person key of an ID number, computed with the hub's secret. */
  personKey(idNumber: string): string;
  /** The same key computed by PostgreSQL from an ID number column (for systems that store ID numbers, not keys). */
  personKeySql(column: string): PersonKeySql;
  /**
   * Appends entries to this subgraph's audit chain now, inside a mutation's transaction (a write is
   * recorded before it commits; a failed append fails the mutation). Null when auditing is off.
   */
  writeAudit: ((entries: AccessEntry[]) => Promise<void>) | null;
  /**
   * Sends an operation to another department as this same caller (their viewer, request and
   * purpose, in a fresh internal token bound to that call), within this request's deadline. Null
   * when this process holds no internal signing key.
   */
  askDepartment: ((department: string, operation: InternalOperation) => Promise<SubgraphAnswer>) | null;
}
