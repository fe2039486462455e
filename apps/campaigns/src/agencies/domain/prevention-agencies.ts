/**
 * Which agency type holds the state management of social-evils prevention (phòng, chống tệ nạn xã
 * hội) on a given day: the one place the campaigns service keeps it, so the 2025 reorganisation is
 * data, not `if` statements. In 2022 (plan 146/KH-UBND) the Department of Labour, Invalids and
 * Social Affairs (DOLISA) held it; the 2025 reorganisation moved social protection and the
 * prevention of social evils to the Department of Health (Sở Y tế).
 *
 * Limit: the changeover date is the glossary's "from about 2025-03-01; verify per province"
 * (`verify: true`); the platform's agency table (issue 11) is to replace this one when it lands.
 */
import type { IsoDate } from '@haidang/calendar';

export interface FunctionHolder {
  readonly agencyType: 'DOLISA' | 'HEALTH';
  /** First day it holds the function; null: since before any record here. */
  readonly validFrom: IsoDate | null;
  /** First day it no longer holds it; null: still holds it. */
  readonly validUntil: IsoDate | null;
  readonly source: string;
  readonly verify: boolean;
}

export const SOCIAL_EVILS_PREVENTION_HOLDERS: readonly FunctionHolder[] = [
  {
    agencyType: 'DOLISA',
    validFrom: null,
    validUntil: '2025-03-01',
    source: 'Plan 146/KH-UBND (2022): Sở LĐ-TB&XH leads; dissolved in the 2025 reorganisation (glossary)',
    verify: true,
  },
  {
    agencyType: 'HEALTH',
    validFrom: '2025-03-01',
    validUntil: null,
    source: '2025 reorganisation: prevention of social evils to Sở Y tế (glossary)',
    verify: true,
  },
];

/** The agency types that have ever held the function: the policy names them, the date rule narrows them. */
export const PREVENTION_AGENCY_TYPES = ['DOLISA', 'HEALTH'] as const;
export type PreventionAgencyType = (typeof PREVENTION_AGENCY_TYPES)[number];

export function isPreventionAgencyType(agencyType: string): agencyType is PreventionAgencyType {
  return (PREVENTION_AGENCY_TYPES as readonly string[]).includes(agencyType);
}

/** The agency type holding the function on `date` (ISO dates compare as strings). */
export function preventionHolderOn(date: IsoDate): PreventionAgencyType | undefined {
  return SOCIAL_EVILS_PREVENTION_HOLDERS.find(
    (holder) => (holder.validFrom === null || holder.validFrom <= date) && (holder.validUntil === null || date < holder.validUntil),
  )?.agencyType;
}

/**
 * May an agency of this type act for the province on `date`? A commune always acts in its own
 * commune; a provincial department only while it holds the function.
 */
export function actsForPreventionOn(agencyType: string, date: IsoDate): boolean {
  if (!isPreventionAgencyType(agencyType)) return true;
  return preventionHolderOn(date) === agencyType;
}
