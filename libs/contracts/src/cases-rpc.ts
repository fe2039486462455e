import { CONTRACT_REHAB_CASE_STATUSES, CONTRACT_REHAB_FORMS, type ContractRehabCaseStatus, type ContractRehabForm } from './cases-vocabulary';
import { rules, validateShape, type Validation } from './validate';

/**
 * Request/reply contracts of the cases service (NATS subjects). Version 1 of each: a change that
 * removes or retypes a field is a new subject (`….v2`) served next to this one, never an edit here.
 * Replies carry what another agency needs to check a referral and nothing personal: no name, no
 * citizen ID, no birth date, no address. `version` is the record's version (its ETag), so a caller
 * can tell whether what it checked is still current.
 */
export const CasesSubjects = {
  PersonsGet: 'cases.persons.get',
  RehabCasesGet: 'cases.rehab-cases.get',
  /** Registers a person on another service's behalf (cross-border: a trafficking victim received); see cases-persons-register.ts. */
  PersonsRegister: 'cases.persons.register',
} as const;
export type CasesSubject = (typeof CasesSubjects)[keyof typeof CasesSubjects];

export interface PersonsGetRequestV1 {
  readonly personId: string;
}

export interface PersonsGetResponseV1 {
  readonly personId: string;
  /** Residence commune and province (administrative codes, not an address). */
  readonly communeCode: string;
  readonly provinceCode: string;
  /** The person's data was erased on request; the id stays valid so referrals can be closed. */
  readonly erased: boolean;
  readonly version: number;
}

export interface RehabCasesGetRequestV1 {
  readonly caseId: string;
}

export interface RehabCasesGetResponseV1 {
  readonly caseId: string;
  readonly personId: string;
  readonly status: ContractRehabCaseStatus;
  /** Null until a form is decided. */
  readonly form: ContractRehabForm | null;
  /** The person's residence commune: where the case lies. */
  readonly communeCode: string;
  readonly version: number;
}

const commune = rules.digits(5);
const province = rules.digits(2);

export function validatePersonsGetRequestV1(value: unknown): Validation<PersonsGetRequestV1> {
  return validateShape(value, { personId: rules.uuid });
}

export function validatePersonsGetResponseV1(value: unknown): Validation<PersonsGetResponseV1> {
  return validateShape(value, { personId: rules.uuid, communeCode: commune, provinceCode: province, erased: rules.boolean, version: rules.version });
}

export function validateRehabCasesGetRequestV1(value: unknown): Validation<RehabCasesGetRequestV1> {
  return validateShape(value, { caseId: rules.uuid });
}

export function validateRehabCasesGetResponseV1(value: unknown): Validation<RehabCasesGetResponseV1> {
  return validateShape(value, {
    caseId: rules.uuid,
    personId: rules.uuid,
    status: rules.oneOf(CONTRACT_REHAB_CASE_STATUSES),
    form: rules.nullable(rules.oneOf(CONTRACT_REHAB_FORMS)),
    communeCode: commune,
    version: rules.version,
  });
}
