import { definePolicy } from '@haidang/auth';
import { AGENCY_TYPE_PERIODS, type AgencyType } from '@haidang/request-context';

/**
 * The employment service's one policy: every route names one of these actions, anything else is
 * refused (deny by default).
 * - The employment service centre works on the records of its province; the commune People's
 *   Committee of the person's residence works on the records in its commune.
 * - A training provider signs in with the agency code its register entry names and sees only the
 *   enrolments at itself: trade, level, dates, status, funding; no person, case or treatment data.
 *   The platform has no agency type for vocational schools yet: non-state providers sign in as
 *   `NGO` (PROVIDER_AGENCY_TYPES), the one place to change when the agency table gets one.
 * - Employers have no access at all, and the provincial People's Committee (PPC) gets numbers only,
 *   from the projections service: neither is named below.
 * - The registers hold organisations only: the centre keeps them, the communes read them, and so
 *   does the provincial department holding labour and employment or vocational education
 *   (SUPERVISING_DEPARTMENT_TYPES, from the platform's agency table, ADR 0010).
 */
export const PROVIDER_AGENCY_TYPES = ['NGO'] as const;

/**
 * Every agency type that has held the state management of labour and employment or of vocational
 * education: DOLISA until 2025-02-28, Home Affairs and Education from 2025-03-01. The table, not
 * this list, says who held it on a day; a type's tokens are refused after its end (libs/auth).
 */
export const SUPERVISING_DEPARTMENT_TYPES: readonly AgencyType[] = [
  ...new Set(
    AGENCY_TYPE_PERIODS.filter((period) => period.functions.some((fn) => fn === 'LABOUR_EMPLOYMENT' || fn === 'VOCATIONAL_EDUCATION')).map(
      (period) => period.type,
    ),
  ),
];

const WORKERS = { agencyTypes: ['EMPLOYMENT_CENTRE', 'COMMUNE'], roles: ['caseworker', 'supervisor'] } as const;
const RECORD_SCOPE = { EMPLOYMENT_CENTRE: 'any-in-province', COMMUNE: 'own-jurisdiction' } as const;

export const employmentPolicy = definePolicy({
  'employment-records.open': { ...WORKERS, scope: RECORD_SCOPE },
  'employment-records.manage': { ...WORKERS, scope: RECORD_SCOPE },
  'employment-records.read': { ...WORKERS, scope: RECORD_SCOPE },
  'follow-ups.read': { ...WORKERS, scope: RECORD_SCOPE },
  'registers.manage': { agencyTypes: ['EMPLOYMENT_CENTRE'], roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'registers.read': { agencyTypes: [...WORKERS.agencyTypes, ...SUPERVISING_DEPARTMENT_TYPES], roles: WORKERS.roles, scope: 'any-in-province' },
  'provider-enrolments.read': {
    agencyTypes: ['EMPLOYMENT_CENTRE', ...PROVIDER_AGENCY_TYPES],
    roles: ['caseworker', 'supervisor'],
    scope: { EMPLOYMENT_CENTRE: 'any-in-province', NGO: 'own-agency' },
  },
});

export type EmploymentAction = (typeof employmentPolicy.actions)[number];
