/** Nest injection tokens for the infrastructure the service is handed (one place, so modules agree). */
export const READ_MODEL = Symbol('READ_MODEL_DATA_SOURCE');
/** The service's Ed25519 seal signer (`SealSigner`). */
export const SEAL_SIGNER = Symbol('SEAL_SIGNER');
/** The personal-data protector (reveals handed-over persons to the agencies handling them). */
export const PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');
/** The request/reply client of the cases service (`ServiceClient`), and the prefix its subjects carry (empty but in tests). */
export const CASES_CLIENT = Symbol('CASES_CLIENT');
export const CASES_SUBJECT_PREFIX = Symbol('CASES_SUBJECT_PREFIX');
/** The service's event store (its port): the access log and the links to persons of cases are written to it. */
export const EVENT_STORE = Symbol('EVENT_STORE');
