/**
 * The cases service's published vocabulary. Copied here, not imported: a contract must not move
 * when the service's internals do. The service checks at compile time that its own lists fit.
 */
export const CONTRACT_REHAB_FORMS = ['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'SUBSTITUTION_THERAPY', 'CEDEMEX_PILOT'] as const;
export type ContractRehabForm = (typeof CONTRACT_REHAB_FORMS)[number];

/** Every status a case can be seen in (a case that does not exist is a 404, not a status). */
export const CONTRACT_REHAB_CASE_STATUSES = [
  'REGISTERED',
  'ADDICTION_DETERMINED',
  'NOT_ADDICTED',
  'FORM_DECIDED',
  'IN_REHAB',
  'COMPLETED',
  'DISCONTINUED',
  'POST_REHAB_MANAGEMENT',
  'RELAPSED',
  'CLOSED',
] as const;
export type ContractRehabCaseStatus = (typeof CONTRACT_REHAB_CASE_STATUSES)[number];
