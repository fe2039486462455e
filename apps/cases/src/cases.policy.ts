import { definePolicy } from '@haidang/auth';

/**
 * The cases service's one policy (invariant 5): every route names one of these actions, anything
 * else is refused. The provincial People's Committee (PPC) has no person-level action at all: it
 * gets aggregates from the projections service.
 */
export const casesPolicy = definePolicy({
  'persons.register': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'persons.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'persons.search': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'persons.erase': { agencyTypes: ['DOLISA'], roles: ['data-protection'], scope: 'any-in-province' },
});

export type CasesAction = (typeof casesPolicy.actions)[number];
