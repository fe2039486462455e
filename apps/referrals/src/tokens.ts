/** Nest injection tokens for the service's infrastructure (one place, so modules agree). */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');
export const READ_MODEL = Symbol('READ_MODEL_DATA_SOURCE');
/** The ServiceClient that calls the cases service (`cases.persons.get`, `cases.rehab-cases.get`). */
export const CASES_CLIENT = Symbol('CASES_SERVICE_CLIENT');
/** The subject prefix of the cases service's handlers: empty in deployments, a test's own in tests. */
export const CASES_SUBJECT_PREFIX = Symbol('CASES_SUBJECT_PREFIX');
/** `() => Date` (the service's clock): the instant a read is dated at (tests move it). */
export const CLOCK = Symbol('CLOCK');
/** The write side's `SupportModelRegister` port (receivers of SUPPORT_MODEL referrals), answered by `projections/support-models`. */
export const SUPPORT_MODEL_REGISTER = Symbol('SUPPORT_MODEL_REGISTER');
