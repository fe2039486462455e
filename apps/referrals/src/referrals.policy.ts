import { definePolicy } from '@haidang/auth';
import type { AgencyType } from '@haidang/request-context';

/**
 * Who may refer (sender agency types). The provincial People's Committee (PPC) is not here, nor
 * anywhere in this policy: it sees aggregates from the projections service, never a referral of a person.
 */
export const REFERRING_AGENCY_TYPES = [
  'COMMUNE',
  'REHAB_FACILITY',
  'DOLISA',
  // DOLISA's successors (2025-03-01): Health is listed below; Home Affairs (labour, employment) and Education (vocational education).
  'HOME_AFFAIRS',
  'EDUCATION',
  'POLICE',
  'COMMUNE_POLICE',
  'BORDER_GUARD',
  'HEALTH',
  'SUPPORT_MODEL',
  'NGO',
] as const satisfies readonly AgencyType[];

/**
 * Who may receive a referral: every agency type the referral catalogue names as a receiver of some
 * service on some date. DOLISA stays for the referrals it holds from before 2025-03-01; Home Affairs
 * (labour, employment) and Education (vocational education) receive from that day. Which of them
 * may receive on a given day is the catalogue's date rule (the decider); a token of a type that no
 * longer exists is refused by the auth layer for acts after its end.
 */
export const RECEIVING_AGENCY_TYPES = [
  'DOLISA',
  'COMMUNE',
  'REHAB_FACILITY',
  'HEALTH',
  'HOME_AFFAIRS',
  'EDUCATION',
  'EMPLOYMENT_CENTRE',
  'SUPPORT_MODEL',
  'NGO',
] as const satisfies readonly AgencyType[];

const PARTY_AGENCY_TYPES: readonly AgencyType[] = [...new Set<AgencyType>([...REFERRING_AGENCY_TYPES, ...RECEIVING_AGENCY_TYPES])];
const OFFICERS = ['caseworker', 'supervisor'] as const;

/**
 * The referrals service's one policy (invariant 5): every route names one of these actions, anything
 * else is refused. The policy checks agency type and role; the scope is the referral itself: only
 * its sender, its current receiver and the agencies it passed through reach it (`own-agency`,
 * checked by ReferralAccess), and which of them may take a step is the decider's rule (sender,
 * current receiver) by agency code. Whom the sender may refer is the cases service's answer to
 * `cases.persons.get` with the sender's own token.
 */
export const referralsPolicy = definePolicy({
  /** Create (and send) a referral, or a draft. */
  'referrals.create': { agencyTypes: REFERRING_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  /** The sender's steps: send a draft, withdraw. */
  'referrals.manage-outgoing': { agencyTypes: REFERRING_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  /** The current receiver's steps: accept, decline, redirect, complete. */
  'referrals.respond': { agencyTypes: RECEIVING_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  /** Sender or current receiver records that the person withdrew consent. */
  'referrals.record-consent-withdrawal': { agencyTypes: PARTY_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  'referrals.read': { agencyTypes: PARTY_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  /** The agency's incoming and outgoing lists (read model: ids, codes, status, dates). */
  'referrals.list': { agencyTypes: PARTY_AGENCY_TYPES, roles: OFFICERS, scope: 'own-agency' },
  /** The sender agency's supervisors: its outgoing referrals marked overdue and still pending (escalation). */
  'referrals.escalations': { agencyTypes: REFERRING_AGENCY_TYPES, roles: ['supervisor'], scope: 'own-agency' },
  /** Who did what, when; auditors of a party agency too. */
  'referrals.history': { agencyTypes: PARTY_AGENCY_TYPES, roles: ['caseworker', 'supervisor', 'auditor'], scope: 'own-agency' },
});

export type ReferralsAction = (typeof referralsPolicy.actions)[number];
