import type { Agency } from '../auth/viewer';
import type { MaskKind } from './masking';

/** A condition on the record and the request that a rule can test. */
export type Condition =
  /** The record's division or grid code (the type's `scope` property) lies in the viewer's jurisdiction. */
  | 'jurisdiction'
  /** The request states a purpose (`x-purpose`). */
  | 'purpose'
  /** The viewer is the officer handling the record (the type's `handler` property equals `sub`). */
  | 'handlesCase'
  /** The record is not sealed (the type's `sealed` property is false), e.g. juvenile records. */
  | 'notSealed';

export type Rule =
  | 'allow'
  | 'deny'
  | { mask: MaskKind }
  | { if: Condition | Condition[]; then: Rule; else?: Rule };

export interface TypePolicy {
  description?: string;
  /** Agencies that may see the type's fields not listed under `fields`. */
  visible: 'all' | Agency[];
  /** Record sensitive-field decisions in the audit trail (default: true when `fields` are listed). */
  audit?: boolean;
  scope?: string;
  handler?: string;
  sealed?: string;
  /** Agencies whose list queries of this type return only rows inside their jurisdiction. */
  rowScope?: Agency[];
  /** Sensitive fields: a rule per agency; an agency not listed is denied. */
  fields?: Record<string, Partial<Record<Agency, Rule>>>;
}

export interface PolicyFile {
  version: 1;
  statistics?: {
    /** Counts from 1 to this minus one are suppressed for the agencies below (default 5). */
    suppressionThreshold?: number;
    /** Agencies that get statistics with small cells suppressed (default: analyst); the others get exact counts. */
    suppressFor?: Agency[];
  };
  types: Record<string, TypePolicy>;
}

export type Outcome = 'allow' | 'mask' | 'deny';

export interface Decision {
  outcome: Outcome;
  mask?: MaskKind;
  /** Why, in words a caller can read ("outside your jurisdiction", "not granted to grid"). */
  reason: string;
  /** The field is listed as sensitive (its resolutions are audited). */
  sensitive: boolean;
}
