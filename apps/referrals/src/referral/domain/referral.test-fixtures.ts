import { reasonCodesOf } from './reason-codes';
import { REASON_CODES } from './reason-codes.data';
import type { ServiceType } from './referral-catalogue.data';
import type { CreateReferral, ProposeReferral, ReferralCommand } from './referral.commands';
import { decide, type DecideResult, replay, type ReferralState } from './referral.decider';
import type { ReferralErrorCode } from './referral.errors';
import type { Consent, ReferralEvent, SharingLegalBasis } from './referral.events';

/** Test helpers shared by the referral specs (not exported from the domain index). */

/** Friday 2026-03-06, 10:00 in Vietnam. */
export const FRIDAY = new Date('2026-03-06T03:00:00Z');
export const at = (day: string): Date => new Date(`${day}T03:00:00Z`);

export const FACILITY = '22-REHAB_FACILITY-1';
export const EMPLOYMENT = '22-EMPLOYMENT_CENTRE';
/** Dissolved on 2025-03-01 (ADR 0010): only in tests dated before, or testing the refusal after. */
export const DOLISA = '22-DOLISA';
/** The Department of Home Affairs: labour and employment since 2025-03-01. */
export const HOME_AFFAIRS = '22-HOME_AFFAIRS';
/** The Department of Health: social protection, children, social evils since 2025-03-01. */
export const HEALTH_DEPT = '22-HEALTH';
/** The Department of Education and Training: vocational education since 2025-03-01. */
export const EDUCATION = '22-EDUCATION';
export const COMMUNE = '22-COMMUNE-06793';
export const HEALTH = '22-HEALTH-1';
export const CLUB = '22-SUPPORT_MODEL-3';
export const CLUB_2 = '22-SUPPORT_MODEL-4';
export const POLICE = '22-POLICE';

export const CONSENT_FOR_JOBS: Consent = { given: true, recordedOn: '2026-03-02', scope: { services: ['JOB_PLACEMENT', 'COUNSELLING'], treatmentData: false } };

export const LEGAL_BASIS: SharingLegalBasis = { decisionNo: '12/QĐ-UBND', decisionDate: '2026-03-01', lawArticle: 'Law 91/2025/QH15, Art. 19(1)(b)' };

/**
 * The first coded reason of the service type, which the fixtures carry as a client that follows the
 * rule does (issue 10 §10); a test of the rule itself passes `reasonCode: null`.
 */
// A service type outside the catalogue (a test of that refusal) has no list: no code then.
export const firstReasonCode = (serviceType: ServiceType): string | null => (REASON_CODES[serviceType] ? (reasonCodesOf(serviceType)[0] ?? null) : null);
const withReasonCode = <T extends { serviceType: ServiceType; reasonCode?: string | null }>(data: T, overrides: object): T =>
  'reasonCode' in overrides ? data : { ...data, reasonCode: firstReasonCode(data.serviceType) };

/** A job-placement referral from the facility to the employment centre. */
export function createCommand(overrides: Partial<CreateReferral['data']> = {}): CreateReferral {
  return {
    type: 'CreateReferral',
    data: withReasonCode(
      {
        referralId: 'ref-1',
        personId: 'person-1',
        caseId: 'case-1',
        fromAgency: FACILITY,
        toAgency: EMPLOYMENT,
        serviceType: 'JOB_PLACEMENT',
        reason: 'completed rehab, looking for work',
        urgency: 'NORMAL',
        ...overrides,
      },
      overrides,
    ),
  };
}

export function proposeCommand(overrides: Partial<ProposeReferral['data']> = {}): ProposeReferral {
  return {
    type: 'ProposeReferral',
    data: withReasonCode(
      {
        referralId: 'ref-1',
        personId: 'person-1',
        caseId: 'case-1',
        fromAgency: FACILITY,
        toAgency: EMPLOYMENT,
        serviceType: 'JOB_PLACEMENT',
        reason: 'job counselling after completed rehab',
        urgency: 'NORMAL',
        ...overrides,
      },
      overrides,
    ),
  };
}

/** Runs commands through the decider as history; a refused step is a broken fixture. */
export function history(...steps: Array<[ReferralCommand, Date] | ReferralCommand>): ReferralEvent[] {
  const events: ReferralEvent[] = [];
  for (const step of steps) {
    const [command, now] = Array.isArray(step) ? step : [step, FRIDAY];
    const result = decide(command, replay(events), now);
    if (!Array.isArray(result)) throw new Error(`fixture step ${command.type} refused: ${result.code}`);
    events.push(...result);
  }
  return events;
}

export function given(events: readonly ReferralEvent[]) {
  return {
    state: (): ReferralState => replay(events),
    when: (command: ReferralCommand, now: Date = FRIDAY): DecideResult => decide(command, replay(events), now),
  };
}

export function errorCode(result: DecideResult): ReferralErrorCode | 'no error' {
  return Array.isArray(result) ? 'no error' : result.code;
}

export function eventsOf(result: DecideResult): ReferralEvent[] {
  if (!Array.isArray(result)) throw new Error(`expected events, got ${result.code}`);
  return result;
}
