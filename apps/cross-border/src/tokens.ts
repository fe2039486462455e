/** Nest injection tokens for the infrastructure the service is handed (one place, so modules agree). */
export const READ_MODEL = Symbol('READ_MODEL_DATA_SOURCE');
/** The service's Ed25519 seal signer (`SealSigner`). */
export const SEAL_SIGNER = Symbol('SEAL_SIGNER');
/** The personal-data protector (reveals handed-over persons to the agencies handling them). */
export const PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');
