import { isStateBody } from './referral-catalogue';
import type { AgencyType, ServiceType } from './referral-catalogue.data';
import { REASON_CODES, type ReasonCode, type ReasonCodeEntry, type ReasonCodeLabel } from './reason-codes.data';

const entriesOf = (serviceType: ServiceType): readonly ReasonCodeEntry[] => REASON_CODES[serviceType];

/** The codes a referral for `serviceType` may carry. */
export function reasonCodesOf(serviceType: ServiceType): ReasonCode[] {
  return entriesOf(serviceType).map((entry) => entry.code as ReasonCode);
}

/** Whether `code` is one of the service type's codes (input may arrive untyped). */
export function isReasonCodeOf(serviceType: ServiceType, code: unknown): code is ReasonCode {
  return typeof code === 'string' && entriesOf(serviceType).some((entry) => entry.code === code);
}

/** The label of a code in both languages; null for a code no list holds (never recorded: the decider checks). */
export function reasonLabelOf(code: string): ReasonCodeLabel | null {
  for (const entries of Object.values(REASON_CODES) as readonly (readonly ReasonCodeEntry[])[]) {
    const entry = entries.find((e) => e.code === code);
    if (entry) return entry.label;
  }
  return null;
}

/** What a receiver's ground for the person's data rests on, as the rule below reads it. */
export interface ReasonGround {
  readonly receiverType: AgencyType;
  /** A legal basis is on record (the sender's, or one a redirect brought). */
  readonly hasLegalBasis: boolean;
  /** A consent given whose scope lists the referral's service… */
  readonly consentCoversService: boolean;
  /** …and covers treatment data. */
  readonly consentCoversTreatmentData: boolean;
  readonly consentWithdrawn: boolean;
}

/**
 * Whether the receiver may read the sender's free-text reason (issue 10 §10). Senders write
 * diagnoses there ("Nghiện heroin, HIV dương tính"), so a non-state receiver (SUPPORT_MODEL, NGO)
 * reads it only on a ground that covers treatment data: a legal basis, or a consent in force that
 * covers the service and treatment data (the same ground on which it sees the case id). Otherwise it
 * sees the coded reason only, and the sender must give one (`reason-code-required`).
 */
export function receiverSeesReasonText(ground: ReasonGround): boolean {
  if (isStateBody(ground.receiverType)) return true;
  return ground.hasLegalBasis || (ground.consentCoversService && ground.consentCoversTreatmentData && !ground.consentWithdrawn);
}
