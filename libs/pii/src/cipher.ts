import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Every encrypted field value starts with this, so readers know a field is encrypted and how. */
export const ENCRYPTED_PREFIX = 'pii:v1:';
const IV_BYTES = 12; // 96-bit IV: the GCM size that needs no extra hashing; random per value
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** True for a string in the `pii:v1:<base64url(iv|ciphertext|tag)>` format. */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENCRYPTED_PREFIX) && BASE64URL.test(value.slice(ENCRYPTED_PREFIX.length));
}

/**
 * The person id and the field name are authenticated with the value (AAD): a ciphertext copied into
 * another person's event, or from `phone` into `name`, fails to decrypt instead of being believed.
 */
function fieldAad(subjectId: string, fieldName: string): Buffer {
  return Buffer.from(`haidang/pii/field/v1\u0000${subjectId}\u0000${fieldName}`, 'utf8');
}

function wrapAad(kekId: string, subjectId: string): Buffer {
  return Buffer.from(`haidang/pii/data-key/v1\u0000${kekId}\u0000${subjectId}`, 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Throws (without detail) when authentication fails. */
function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** Encrypts one JSON value (a string, a date string, a list of photo references, …). */
export function encryptField(dataKey: Buffer, subjectId: string, fieldName: string, value: unknown): string {
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  return ENCRYPTED_PREFIX + seal(dataKey, plaintext, fieldAad(subjectId, fieldName)).toString('base64url');
}

/** Decrypts a value made by `encryptField`; throws when it was tampered with or moved. */
export function decryptField(dataKey: Buffer, subjectId: string, fieldName: string, encrypted: string): unknown {
  if (!isEncryptedValue(encrypted)) throw new Error('not an encrypted value');
  const sealed = Buffer.from(encrypted.slice(ENCRYPTED_PREFIX.length), 'base64url');
  return JSON.parse(open(dataKey, sealed, fieldAad(subjectId, fieldName)).toString('utf8')) as unknown;
}

export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Wraps a data key under a KEK; the KEK id and subject are bound so a wrapped key cannot be swapped. */
export function wrapDataKey(kek: Buffer, kekId: string, subjectId: string, dataKey: Buffer): Buffer {
  return seal(kek, dataKey, wrapAad(kekId, subjectId));
}

export function unwrapDataKey(kek: Buffer, kekId: string, subjectId: string, wrapped: Buffer): Buffer {
  const key = open(kek, wrapped, wrapAad(kekId, subjectId));
  if (key.length !== KEY_BYTES) throw new Error('unwrapped key has the wrong length');
  return key;
}
