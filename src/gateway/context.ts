import type { Viewer } from '../auth/viewer';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  purpose: string | null;
  /** Set once the operation is resolved (for the audit trail). */
  operation?: string | null;
  documentHash?: string | null;
  /** The internal token for this request's subgraph calls, signed on first use. */
  internalToken?: Promise<string>;
}
