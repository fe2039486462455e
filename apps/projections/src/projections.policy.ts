import { definePolicy } from '@haidang/auth';

/**
 * The projections service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). `PPC` manages exports; a record lies in its commune,
 * and `own-jurisdiction` lets a caller reach it only when the token's jurisdiction (a province or a
 * commune) covers that commune. Add agency types, roles or actions here, nowhere else.
 */
export const projectionsPolicy = definePolicy({
  'exports.register': { agencyTypes: ['PPC'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'exports.manage': { agencyTypes: ['PPC'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'exports.read': { agencyTypes: ['PPC'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
});

export type ProjectionsAction = (typeof projectionsPolicy.actions)[number];
