import { definePolicy } from '@haidang/auth';
import type { AgencyType } from '@haidang/request-context';
import { PREVENTION_AGENCY_TYPES } from './agencies/domain/prevention-agencies';

/**
 * The campaigns service's one policy (deny by default): every route names one of these actions.
 * No personal data lives in this service (codes, dates and counts), so the provincial People's
 * Committee (PPC) reads everything in its province.
 *
 * - The agency type holding social-evils prevention (DOLISA until the 2025 reorganisation, Health
 *   since: PREVENTION_AGENCY_TYPES, dated in agencies/domain) records for the whole province; which
 *   one may act on a given day is the deciders' date rule, so the policy names both.
 * - A commune records activities and models in its own jurisdiction.
 * - The border guard founds and runs its own mass-mobilisation models (`own-agency`: the model's
 *   owner); a support model (`<province>-SUPPORT_MODEL-<n>`) logs its own activity.
 * - Plans are issued by the PPC; the holder of the function records them for it.
 */
const PREVENTION: readonly AgencyType[] = PREVENTION_AGENCY_TYPES;
const OFFICERS = ['caseworker', 'supervisor'] as const;
const READERS = ['caseworker', 'supervisor', 'analyst', 'auditor'] as const;
const provinceWide = (types: readonly AgencyType[]) =>
  Object.fromEntries(types.map((type) => [type, 'any-in-province'])) as Record<AgencyType, 'any-in-province'>;

export const campaignsPolicy = definePolicy(
  {
    'plans.adopt': { agencyTypes: ['PPC', ...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'plans.amend': { agencyTypes: ['PPC', ...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'plans.read': { agencyTypes: ['PPC', ...PREVENTION, 'COMMUNE', 'POLICE', 'BORDER_GUARD'], roles: READERS, scope: 'any-in-province' },

    'activities.record': {
      agencyTypes: [...PREVENTION, 'COMMUNE'],
      roles: OFFICERS,
      scope: { ...provinceWide(PREVENTION), COMMUNE: 'own-jurisdiction' },
    },
    'activities.manage': {
      agencyTypes: [...PREVENTION, 'COMMUNE'],
      roles: OFFICERS,
      scope: { ...provinceWide(PREVENTION), COMMUNE: 'own-jurisdiction' },
    },
    'activities.read': {
      agencyTypes: ['PPC', ...PREVENTION, 'COMMUNE'],
      roles: READERS,
      scope: { ...provinceWide(['PPC', ...PREVENTION]), COMMUNE: 'own-jurisdiction' },
    },

    'support-models.found': {
      agencyTypes: [...PREVENTION, 'COMMUNE', 'BORDER_GUARD'],
      roles: OFFICERS,
      scope: { ...provinceWide(PREVENTION), COMMUNE: 'own-jurisdiction', BORDER_GUARD: 'own-agency' },
    },
    'support-models.manage': {
      agencyTypes: [...PREVENTION, 'COMMUNE', 'BORDER_GUARD'],
      roles: OFFICERS,
      scope: { ...provinceWide(PREVENTION), COMMUNE: 'own-jurisdiction', BORDER_GUARD: 'own-agency' },
    },
    'support-models.log': {
      agencyTypes: [...PREVENTION, 'COMMUNE', 'BORDER_GUARD', 'SUPPORT_MODEL'],
      roles: OFFICERS,
      scope: { ...provinceWide(PREVENTION), COMMUNE: 'own-jurisdiction', BORDER_GUARD: 'own-agency', SUPPORT_MODEL: 'own-agency' },
    },
    'support-models.read': {
      agencyTypes: ['PPC', ...PREVENTION, 'COMMUNE', 'BORDER_GUARD', 'SUPPORT_MODEL'],
      roles: READERS,
      scope: { ...provinceWide(['PPC', ...PREVENTION]), COMMUNE: 'own-jurisdiction', BORDER_GUARD: 'own-agency', SUPPORT_MODEL: 'own-agency' },
    },

    'trainings.record': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'trainings.read': { agencyTypes: ['PPC', ...PREVENTION], roles: READERS, scope: 'any-in-province' },

    // The registers of zones and schools the targets count over.
    'establishments.register': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'establishments.manage': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'establishments.read': {
      agencyTypes: ['PPC', ...PREVENTION, 'COMMUNE'],
      roles: READERS,
      scope: { ...provinceWide(['PPC', ...PREVENTION]), COMMUNE: 'own-jurisdiction' },
    },

    // The staff register (counts by agency and group), the denominator of "100% of staff trained".
    'staff.register': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'staff.manage': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'staff.read': { agencyTypes: ['PPC', ...PREVENTION], roles: READERS, scope: 'any-in-province' },

    'surveys.record': { agencyTypes: [...PREVENTION], roles: OFFICERS, scope: 'any-in-province' },
    'surveys.read': { agencyTypes: ['PPC', ...PREVENTION], roles: READERS, scope: 'any-in-province' },
  },
  // Records here carry their own dates and the deciders check the acting department against them
  // (a 2022 activity is DOLISA's): the request day does not refuse DOLISA after 2025-02-28 (ADR 0010).
  { agencyCheckedOnRecordDate: true },
);

export type CampaignsAction = (typeof campaignsPolicy.actions)[number];
