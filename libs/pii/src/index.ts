export { PersonalIdIndex, normalizePersonalId } from './blind-index';
export { ENCRYPTED_PREFIX, isEncryptedValue } from './cipher';
export {
  DataKeyUnwrapError,
  InvalidPersonalDataInputError,
  PersonalDataDecryptionError,
  PiiKeyConfigurationError,
  SubjectErasedError,
  SubjectKeyMissingError,
  UnknownKeyEncryptionKeyError,
} from './errors';
export { DataKeyCache } from './key-cache';
export {
  DEV_KEK_ID,
  generateKeyEncryptionKeyEntry,
  KeyEncryptionKeys,
  loadPiiKeys,
  parseIndexKey,
  parseKeyEncryptionKeys,
  type KeyEncryptionKey,
  type LoadPiiKeysOptions,
  type PiiKeys,
} from './keys';
export { piiMigrations } from './migrations/pii.migrations';
export {
  PERSONAL_FIELDS,
  PersonalDataProtector,
  type ErasureRequest,
  type ErasureResult,
  type PersonalDataProtectorOptions,
  type ProtectedRecord,
  type RevealedRecord,
} from './personal-data-protector';
export { ERASED, isErased, redact, redactSql, type Erased } from './redact';
