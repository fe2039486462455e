// Messages name ids and field names only, never a value or a key: errors end up in logs and
// problem+json responses.

/** `DATA_KEY_ENCRYPTION_KEY` / `PERSONAL_ID_INDEX_KEY` are missing or malformed. */
export class PiiKeyConfigurationError extends Error {
  override readonly name = 'PiiKeyConfigurationError';
}

/** A ciphertext failed authentication: tampered, moved to another person or field, or a wrong key. */
export class PersonalDataDecryptionError extends Error {
  override readonly name = 'PersonalDataDecryptionError';
  constructor(
    readonly subjectId: string,
    readonly fieldName: string,
  ) {
    super(`Personal field ${fieldName} of subject ${subjectId} could not be decrypted`);
  }
}

/** The person's key was destroyed (crypto-shredding): no new personal data may be written for them. */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';
  constructor(readonly subjectId: string) {
    super(`Personal data of subject ${subjectId} was erased`);
  }
}

/** Encrypted data exists but no key row was ever made for the subject (a lost or foreign row). */
export class SubjectKeyMissingError extends Error {
  override readonly name = 'SubjectKeyMissingError';
  constructor(readonly subjectId: string) {
    super(`No data key for subject ${subjectId}`);
  }
}

/** A wrapped key names a KEK id that is not configured any more. */
export class UnknownKeyEncryptionKeyError extends Error {
  override readonly name = 'UnknownKeyEncryptionKeyError';
  constructor(readonly kekId: string) {
    super(`Key-encryption key ${kekId} is not configured (DATA_KEY_ENCRYPTION_KEY)`);
  }
}

/** Bad input to the protector (subject id, field names, personal ID shape). */
export class InvalidPersonalDataInputError extends Error {
  override readonly name = 'InvalidPersonalDataInputError';
}

/** A wrapped key failed authentication under its KEK: the KEK with that id is not the one that wrapped it, or the row was altered. */
export class DataKeyUnwrapError extends Error {
  override readonly name = 'DataKeyUnwrapError';
  constructor(
    readonly subjectId: string,
    readonly kekId: string,
  ) {
    super(`The data key of subject ${subjectId} does not unwrap under key-encryption key ${kekId}`);
  }
}
