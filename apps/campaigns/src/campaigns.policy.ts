import { definePolicy } from '@haidang/auth';

/**
 * The campaigns service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). `COMMUNE` manages activities; a record lies in its commune,
 * and `own-jurisdiction` lets a caller reach it only when the token's jurisdiction (a province or a
 * commune) covers that commune. Add agency types, roles or actions here, nowhere else.
 */
export const campaignsPolicy = definePolicy({
  'activities.register': { agencyTypes: ['COMMUNE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'activities.manage': { agencyTypes: ['COMMUNE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
  'activities.read': { agencyTypes: ['COMMUNE'], roles: ['caseworker', 'supervisor'], scope: 'own-jurisdiction' },
});

export type CampaignsAction = (typeof campaignsPolicy.actions)[number];
