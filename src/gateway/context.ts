import type { Viewer } from '../auth/viewer';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /** The stated purpose as recorded (`case:<number>` in canonical form, or free text). */
  purpose: string | null;
  /** Case numbers and person keys of the journey established for a case purpose (empty otherwise). */
  established?: string[];
  /** The break-glass reason (`x-break-glass`), when declared. */
  breakGlass?: string | null;
  /** Set once the operation is resolved (for the audit trail). */
  operation?: string | null;
  documentHash?: string | null;
  /** Epoch ms by which the whole answer must be ready (`REQUEST_TIMEOUT_MS` after it arrived). */
  deadline: number;
  /** The internal token for this request's subgraph calls, signed on first use. */
  internalToken?: Promise<string>;
}
