import { definePolicy } from '@haidang/auth';

/**
 * The employment service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). `EMPLOYMENT_CENTRE` manages employment records; a record lies in its commune,
 * and `own-jurisdiction` lets a caller reach it only when the token's jurisdiction (a province or a
 * commune) covers that commune. Add agency types, roles or actions here, nowhere else.
 */
export const employmentPolicy = definePolicy({
  'employment-records.register': { agencyTypes: ['EMPLOYMENT_CENTRE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'employment-records.manage': { agencyTypes: ['EMPLOYMENT_CENTRE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'employment-records.read': { agencyTypes: ['EMPLOYMENT_CENTRE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
});

export type EmploymentAction = (typeof employmentPolicy.actions)[number];
