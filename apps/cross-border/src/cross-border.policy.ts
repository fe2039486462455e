import { definePolicy } from '@haidang/auth';

/**
 * The cross-border service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). `BORDER_GUARD` manages records; a record lies in its commune,
 * and `own-jurisdiction` lets a caller reach it only when the token's jurisdiction (a province or a
 * commune) covers that commune. Add agency types, roles or actions here, nowhere else.
 */
export const crossBorderPolicy = definePolicy({
  'records.register': { agencyTypes: ['BORDER_GUARD'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'records.manage': { agencyTypes: ['BORDER_GUARD'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'records.read': { agencyTypes: ['BORDER_GUARD'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
});

export type CrossBorderAction = (typeof crossBorderPolicy.actions)[number];
