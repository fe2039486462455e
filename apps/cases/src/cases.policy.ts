import { AccessDeniedError, definePolicy } from '@haidang/auth';
import type { AgencyType, Principal } from '@haidang/request-context';
import type { RehabForm } from './rehab-case/domain';

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
  // Rehab cases: the scope is judged on the person's residence commune. Which forms an agency may
  // manage is the second column of the same rule, REHAB_FORMS_MANAGED_BY below.
  'rehab-cases.register': {
    agencyTypes: ['COMMUNE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.manage': {
    agencyTypes: ['COMMUNE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.history': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor', 'auditor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  // Service-to-service lookups (NATS, `cases.persons.get` / `cases.rehab-cases.get`): another
  // service asks on behalf of its user, with that user's token, so the rule is the one for reading;
  // the reply holds ids, codes and status only (libs/contracts).
  'persons.lookup': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.lookup': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
});

/**
 * The forms each managing agency type registers and manages (`rehab-cases.register` / `.manage`):
 * the commune runs voluntary rehab in the community, the provincial facility runs facility stays.
 * A form no row lists (substitution therapy) is managed by nobody here yet.
 */
export const REHAB_FORMS_MANAGED_BY: Readonly<Partial<Record<AgencyType, readonly RehabForm[]>>> = {
  COMMUNE: ['VOLUNTARY_COMMUNITY'],
  REHAB_FACILITY: ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'],
};

/** Throws 403 unless the principal's agency type manages cases of this form. */
export function assertManagesForm(principal: Principal, form: RehabForm | null): void {
  const forms = REHAB_FORMS_MANAGED_BY[principal.agency.type] ?? [];
  if (form === null || !forms.includes(form)) throw new AccessDeniedError('out-of-scope');
}

export type CasesAction = (typeof casesPolicy.actions)[number];
