import { AccessDeniedError, definePolicy } from '@haidang/auth';
import type { AgencyType, Principal } from '@haidang/request-context';
import type { RehabCaseCommand, RehabForm } from './rehab-case/domain';

/**
 * The cases service's one policy (invariant 5): every route names one of these actions, anything
 * else is refused. The provincial People's Committee (PPC) has no person-level action at all: it
 * gets aggregates from the projections service.
 */
export const casesPolicy = definePolicy({
  'persons.register': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  'persons.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  'persons.search': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  'persons.erase': { agencyTypes: ['DOLISA'], roles: ['data-protection'], scope: 'any-in-province' },
  // Rehab cases: the scope is judged on the person's residence commune. Which forms an agency may
  // manage is the second column of the same rule, REHAB_FORMS_MANAGED_BY below.
  'rehab-cases.register': {
    agencyTypes: ['COMMUNE', 'HEALTH', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', HEALTH: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.manage': {
    agencyTypes: ['COMMUNE', 'HEALTH', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', HEALTH: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', HEALTH: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.history': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor', 'auditor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', HEALTH: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  // Due dates of the cases an agency may read (end of term, end of post-rehab management): dates
  // and case ids only, so the same agencies and scope as reading a case.
  'deadlines.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', HEALTH: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  // Service-to-service lookups (NATS, `cases.persons.get` / `cases.rehab-cases.get`): another
  // service asks on behalf of its user, with that user's token, so the rule is the one for reading;
  // the reply holds ids, codes and status only (libs/contracts). HEALTH looks persons up to refer
  // the ones whose methadone cases it manages; the border guard registers and refers trafficking
  // victims it receives (cross-border handovers) — both within their province.
  'persons.lookup': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD', 'HEALTH'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
      HEALTH: 'any-in-province',
    },
  },
  'rehab-cases.lookup': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', HEALTH: 'any-in-province', POLICE: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
});

/**
 * The forms each managing agency type registers and manages (`rehab-cases.register` / `.manage`):
 * the commune runs voluntary rehab in the community, the provincial facility runs facility stays,
 * the health service's methadone clinics run substitution therapy.
 */
export const REHAB_FORMS_MANAGED_BY: Readonly<Partial<Record<AgencyType, readonly RehabForm[]>>> = {
  COMMUNE: ['VOLUNTARY_COMMUNITY'],
  HEALTH: ['SUBSTITUTION_THERAPY'],
  REHAB_FACILITY: ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'],
};

/**
 * Per-step additions to the form table: one step of a case whose form another agency manages.
 * Post-rehab management takes place where the person lives and is decided by the commune chair
 * there, so the commune starts it for a facility case too (its scope, the residence commune, is
 * still checked by `rehab-cases.manage`). A step not listed follows the form table alone.
 */
export const REHAB_STEPS_ALSO_MANAGED_BY: Readonly<Partial<Record<RehabCaseCommand['type'], Readonly<Partial<Record<AgencyType, readonly RehabForm[]>>>>>> = {
  StartPostRehabManagement: { COMMUNE: ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'] },
};

/** The forms the principal's agency type manages, for one step when given. */
export function formsManagedBy(agencyType: AgencyType, step?: RehabCaseCommand['type']): readonly RehabForm[] {
  const own = REHAB_FORMS_MANAGED_BY[agencyType] ?? [];
  const extra = step === undefined ? [] : (REHAB_STEPS_ALSO_MANAGED_BY[step]?.[agencyType] ?? []);
  return [...own, ...extra];
}

/** Throws 403 unless the principal's agency type manages cases of this form (for this step, when given). */
export function assertManagesForm(principal: Principal, form: RehabForm | null, step?: RehabCaseCommand['type']): void {
  if (form === null || !formsManagedBy(principal.agency.type, step).includes(form)) throw new AccessDeniedError('out-of-scope');
}

/**
 * A case registered without a form (compulsory rehab awaiting the addiction determination and the
 * court) is registered and managed by any agency that manages some form, within its
 * `rehab-cases.register` / `.manage` scope: in practice the residence commune, which compiles the
 * dossier for the court, or the provincial facility. The police detect but do not register (they
 * manage no form), and nobody outside the person's commune or province gets in. The form decision
 * itself (`DecideRehabForm`) must name a form the recording agency manages, so the agency that will
 * run the case records the decision that hands it the case.
 */
export function assertManagesUndecidedCase(principal: Principal): void {
  if (formsManagedBy(principal.agency.type).length === 0) throw new AccessDeniedError('out-of-scope');
}

export type CasesAction = (typeof casesPolicy.actions)[number];
