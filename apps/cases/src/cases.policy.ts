import { AccessDeniedError, definePolicy } from '@haidang/auth';
import type { AgencyType, Principal } from '@haidang/request-context';
import { REHAB_FORMS, type RehabCaseCommand, type RehabForm } from './rehab-case/domain';

/**
 * The cases service's one policy (invariant 5): every route names one of these actions, anything
 * else is refused. The provincial People's Committee (PPC) has no person-level action at all: it
 * gets aggregates from the projections service.
 */
/** Who works on a case and how far each reaches: the commune and its police their commune, the others the province. */
const CASE_TEAM_SCOPE = {
  COMMUNE: 'own-jurisdiction',
  COMMUNE_POLICE: 'own-jurisdiction',
  DOLISA: 'any-in-province',
  HEALTH: 'any-in-province',
  POLICE: 'any-in-province',
  REHAB_FACILITY: 'any-in-province',
} as const;

export const casesPolicy = definePolicy({
  'persons.register': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      COMMUNE_POLICE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  'persons.read': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      COMMUNE_POLICE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  'persons.search': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      COMMUNE_POLICE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
    },
  },
  // Erasure is an act of the agency holding state management of drug rehab on the day it is done
  // (checked in the route, assertHoldsFunction): DOLISA until 2025-02-28, the provincial police since.
  'persons.erase': { agencyTypes: ['DOLISA', 'POLICE'], roles: ['data-protection'], scope: 'any-in-province' },
  // Possible duplicates outside the registering agency's scope (issue 10 §1): reviewed by the
  // data-protection officers of the province that holds the match, who may read both records.
  'duplicate-reviews.list': { agencyTypes: ['DOLISA', 'POLICE'], roles: ['data-protection'], scope: 'any-in-province' },
  // The same officers settle a review (same person, or two persons); another province's review is 404.
  'duplicate-reviews.resolve': { agencyTypes: ['DOLISA', 'POLICE'], roles: ['data-protection'], scope: 'any-in-province' },
  // Rehab cases: the scope is judged on the person's residence commune. Which forms an agency may
  // manage is the second column of the same rule, REHAB_FORMS_MANAGED_BY below.
  // The commune police prepare the compulsory-rehab dossier (Decree 116/2021; Law 120/2025): they
  // register a case without a form and record its determination; the provincial police, which hold
  // state management of rehab and post-rehab management since 2025-03-01, record relapses. Which
  // steps each may take is REHAB_STEPS_ALSO_MANAGED_BY and assertManagesUndecidedCase below.
  'rehab-cases.register': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'HEALTH', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', COMMUNE_POLICE: 'own-jurisdiction', HEALTH: 'any-in-province', REHAB_FACILITY: 'any-in-province' },
  },
  'rehab-cases.manage': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      COMMUNE_POLICE: 'own-jurisdiction',
      HEALTH: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
    },
  },
  'rehab-cases.read': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: CASE_TEAM_SCOPE,
  },
  'rehab-cases.history': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor', 'auditor'],
    scope: CASE_TEAM_SCOPE,
  },
  // Due dates of the cases an agency may read (end of term, end of post-rehab management): dates
  // and case ids only, so the same agencies and scope as reading a case.
  'deadlines.read': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: CASE_TEAM_SCOPE,
  },
  // Service-to-service lookups (NATS, `cases.persons.get` / `cases.rehab-cases.get`): another
  // service asks on behalf of its user, with that user's token, so the rule is the one for reading;
  // the reply holds ids, codes and status only (libs/contracts). HEALTH looks persons up to refer
  // the ones whose methadone cases it manages; the border guard registers and refers trafficking
  // victims it receives (cross-border handovers) — both within their province.
  'persons.lookup': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'POLICE', 'REHAB_FACILITY', 'BORDER_GUARD', 'HEALTH'],
    roles: ['caseworker', 'supervisor'],
    scope: {
      COMMUNE: 'own-jurisdiction',
      COMMUNE_POLICE: 'own-jurisdiction',
      DOLISA: 'any-in-province',
      POLICE: 'any-in-province',
      REHAB_FACILITY: 'any-in-province',
      BORDER_GUARD: 'any-in-province',
      HEALTH: 'any-in-province',
    },
  },
  'rehab-cases.lookup': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'DOLISA', 'HEALTH', 'POLICE', 'REHAB_FACILITY'],
    roles: ['caseworker', 'supervisor'],
    scope: CASE_TEAM_SCOPE,
  },
  // Management of illegal drug users (Law 73/2021 Art. 23–26): the commune decides, ends and ends
  // it early (the holder of DRUG_USER_MANAGEMENT on the act's date, checked per step); the commune
  // police test the person during management; the provincial police and health read.
  'drug-user-managements.decide': { agencyTypes: ['COMMUNE'], roles: ['caseworker', 'supervisor'], scope: { COMMUNE: 'own-jurisdiction' } },
  'drug-user-managements.manage': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', COMMUNE_POLICE: 'own-jurisdiction' },
  },
  'drug-user-managements.read': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'POLICE', 'HEALTH'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', COMMUNE_POLICE: 'own-jurisdiction', POLICE: 'any-in-province', HEALTH: 'any-in-province' },
  },
  // The list (and the management deadlines in /deadlines): ids, codes and dates, so whoever reads one reads the list.
  'drug-user-managements.list': {
    agencyTypes: ['COMMUNE', 'COMMUNE_POLICE', 'POLICE', 'HEALTH'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', COMMUNE_POLICE: 'own-jurisdiction', POLICE: 'any-in-province', HEALTH: 'any-in-province' },
  },
});

/**
 * The forms each managing agency type registers and manages (`rehab-cases.register` / `.manage`):
 * the commune runs voluntary rehab in the community, the provincial facility runs facility stays,
 * the health service's methadone clinics run substitution therapy.
 */
export const REHAB_FORMS_MANAGED_BY: Readonly<Partial<Record<AgencyType, readonly RehabForm[]>>> = {
  // A pilot commune registers its own Cedemex cases; the decider refuses them outside the pilot's
  // localities and period (cedemex-pilot.ts).
  COMMUNE: ['VOLUNTARY_COMMUNITY', 'CEDEMEX_PILOT'],
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
  // A relapse during post-rehab management is found by the police (a test); since 2025-03-01 the
  // provincial police hold state management of post-rehab management too.
  RecordRelapse: { COMMUNE_POLICE: REHAB_FORMS, POLICE: REHAB_FORMS },
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
 * dossier for the court, or the provincial facility, and the commune police, who compile the
 * dossier (registration and determination only). The provincial police do not register, and nobody outside the person's commune or province gets in. The form decision
 * itself (`DecideRehabForm`) must name a form the recording agency manages, so the agency that will
 * run the case records the decision that hands it the case.
 */
export function assertManagesUndecidedCase(principal: Principal, step?: RehabCaseCommand['type']): void {
  if (formsManagedBy(principal.agency.type).length > 0) return;
  if (principal.agency.type === 'COMMUNE_POLICE' && (step === undefined || UNDECIDED_CASE_STEPS_OF_COMMUNE_POLICE.includes(step))) return;
  throw new AccessDeniedError('out-of-scope');
}

/**
 * The commune police compile the compulsory-rehab dossier (Decree 116/2021; Law 120/2025): they
 * register a case without a form and record the addiction determination; the court's form
 * decision is recorded by the agency that will run the case.
 */
const UNDECIDED_CASE_STEPS_OF_COMMUNE_POLICE: readonly RehabCaseCommand['type'][] = ['DetermineAddiction'];

export type CasesAction = (typeof casesPolicy.actions)[number];

/**
 * The reads of one record that a break-glass grant on the person (issue 10 §12) opens to a
 * principal whose agency type and role may read such records but whose scope does not reach this
 * one (ReadAccess). Never a command, a list or a search: a grant is for one person, to read.
 */
export const BREAK_GLASS_READS = ['persons.read', 'rehab-cases.read', 'rehab-cases.history'] as const satisfies readonly CasesAction[];
export type BreakGlassReadAction = (typeof BREAK_GLASS_READS)[number];
