/**
 * Which agency type holds the state management of social-evils prevention (phòng, chống tệ nạn xã
 * hội) on a given day, read from the platform's agency table (`@haidang/request-context`, ADR
 * 0010): DOLISA for plan 146/KH-UBND (2022) until 2025-02-28, the Department of Health (Sở Y tế)
 * from 2025-03-01 (Decree 45/2025/NĐ-CP). The campaigns service keeps no dates of its own.
 */
import type { IsoDate } from '@haidang/calendar';
import { AGENCY_TYPE_PERIODS, agencyTypesHolding, type AgencyType } from '@haidang/request-context';

export interface FunctionHolder {
  readonly agencyType: AgencyType;
  /** First day it holds the function; null: since before any record here. */
  readonly validFrom: IsoDate | null;
  /** First day it no longer holds it; null: still holds it. */
  readonly validUntil: IsoDate | null;
  readonly source: string;
  readonly verify: boolean;
}

/** The periods of the agency table in which a type holds SOCIAL_EVILS_PREVENTION, oldest first. */
export const SOCIAL_EVILS_PREVENTION_HOLDERS: readonly FunctionHolder[] = AGENCY_TYPE_PERIODS.filter((period) =>
  period.functions.includes('SOCIAL_EVILS_PREVENTION'),
)
  .map((period) => ({
    agencyType: period.type,
    validFrom: period.validFrom,
    validUntil: period.validUntil,
    source: period.source,
    verify: period.verify,
  }))
  .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));

/** The agency types that have ever held the function: the policy names them, the date rule narrows them. */
export const PREVENTION_AGENCY_TYPES: readonly AgencyType[] = [...new Set(SOCIAL_EVILS_PREVENTION_HOLDERS.map((holder) => holder.agencyType))];

export function isPreventionAgencyType(agencyType: string): agencyType is AgencyType {
  return (PREVENTION_AGENCY_TYPES as readonly string[]).includes(agencyType);
}

/** The agency type holding the function on `date`. */
export function preventionHolderOn(date: IsoDate): AgencyType | undefined {
  return agencyTypesHolding('SOCIAL_EVILS_PREVENTION', date)[0];
}

/**
 * May an agency of this type act for the province on `date`? A commune always acts in its own
 * commune; a provincial department only while it holds the function.
 */
export function actsForPreventionOn(agencyType: string, date: IsoDate): boolean {
  if (!isPreventionAgencyType(agencyType)) return true;
  return preventionHolderOn(date) === agencyType;
}
