import { definePolicy } from '@haidang/auth';

/**
 * The projections service's one policy: every route names one of these actions, anything else is
 * refused (deny by default).
 * - Indicators (aggregates only) are for the `analyst` role of the province's agencies and of the
 *   communes (their own communes); a ministry is a token of one of these agency types whose
 *   jurisdiction lists several provinces. The reader checks the province (or commune) against the
 *   token's jurisdiction and hides small numbers from readers outside the unit's own agencies.
 * - Working lists hold ids and codes of persons' cases, never names, and only for the agency that
 *   works them: a commune its communes, a facility its own admissions, an employment centre its own
 *   pipeline. The PPC gets indicators, not lists.
 */
const ANALYST_AGENCIES = [
  'PPC',
  'DOLISA',
  'HEALTH',
  'HOME_AFFAIRS',
  'POLICE',
  'BORDER_GUARD',
  'EDUCATION',
  'FOREIGN_AFFAIRS',
  'COMMUNE',
  'COMMUNE_POLICE',
] as const;

export const projectionsPolicy = definePolicy({
  'indicators.read': { agencyTypes: ANALYST_AGENCIES, roles: ['analyst'], scope: 'own-jurisdiction' },
  'indicators.export': { agencyTypes: ANALYST_AGENCIES, roles: ['analyst'], scope: 'own-jurisdiction' },
  'worklists.read': {
    agencyTypes: ['COMMUNE', 'REHAB_FACILITY', 'EMPLOYMENT_CENTRE'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', REHAB_FACILITY: 'own-agency', EMPLOYMENT_CENTRE: 'own-agency' },
  },
});

export type ProjectionsAction = (typeof projectionsPolicy.actions)[number];
