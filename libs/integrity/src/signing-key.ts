import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** `INTEGRITY_SIGNING_KEY` was given but is not an Ed25519 private key (or production has none). */
export class IntegrityKeyError extends Error {
  override readonly name = 'IntegrityKeyError';
}

export interface IntegritySigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The first 16 hex digits of sha256(SPKI DER of the public key): names the key in every checkpoint. */
  readonly keyId: string;
  /** `development`: the well-known key of the embedded default, which proves nothing to anyone. */
  readonly source: 'environment' | 'development';
}

export interface IntegrityVerificationKey {
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

// PKCS#8 and SPKI DER prefixes of an Ed25519 key (RFC 8410): followed by the 32-byte seed or public key.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The development key: derived from a published constant, so every process of `npm start` and
 * `npm run verify` on any machine agrees on it — and so anyone can forge with it. Never in production.
 */
const DEVELOPMENT_SEED = createHash('sha256').update('haidang:integrity:development-signing-key:v1').digest();

/**
 * The service's checkpoint signing key from `INTEGRITY_SIGNING_KEY`: a PKCS#8 PEM, or base64 of a
 * PKCS#8 DER or of the raw 32-byte Ed25519 seed. Without one, the development key outside
 * production (`NODE_ENV=production` refuses to start without a key).
 */
export function integritySigningKeyFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): IntegritySigningKey {
  const raw = env['INTEGRITY_SIGNING_KEY']?.trim();
  if (!raw) {
    if (env['NODE_ENV'] === 'production') throw new IntegrityKeyError('INTEGRITY_SIGNING_KEY is required in production (an Ed25519 PKCS#8 key, PEM or base64)');
    return signingKeyOf(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, DEVELOPMENT_SEED]), format: 'der', type: 'pkcs8' }), 'development');
  }
  let key: KeyObject;
  try {
    if (raw.startsWith('-----BEGIN')) key = createPrivateKey({ key: raw, format: 'pem' });
    else {
      const der = Buffer.from(raw, 'base64');
      key = createPrivateKey({ key: der.length === 32 ? Buffer.concat([PKCS8_ED25519_PREFIX, der]) : der, format: 'der', type: 'pkcs8' });
    }
  } catch {
    throw new IntegrityKeyError('INTEGRITY_SIGNING_KEY is not a PKCS#8 private key (PEM, or base64 of the DER or of a 32-byte Ed25519 seed)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new IntegrityKeyError('INTEGRITY_SIGNING_KEY must be an Ed25519 key');
  return signingKeyOf(key, 'environment');
}

/**
 * The key a verifier trusts, from `INTEGRITY_PUBLIC_KEY` (SPKI PEM, or base64 of the SPKI DER or of
 * the raw 32-byte public key); else the public half of `integritySigningKeyFromEnv` (the
 * development key when neither is set outside production).
 */
export function integrityVerificationKeyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): IntegrityVerificationKey & { source: string } {
  const raw = env['INTEGRITY_PUBLIC_KEY']?.trim();
  if (!raw) {
    const signing = integritySigningKeyFromEnv(env);
    return { publicKey: signing.publicKey, keyId: signing.keyId, source: signing.source === 'development' ? 'development' : 'INTEGRITY_SIGNING_KEY' };
  }
  return { ...parsePublicKey(raw), source: 'INTEGRITY_PUBLIC_KEY' };
}

export function parsePublicKey(raw: string): IntegrityVerificationKey {
  let key: KeyObject;
  try {
    if (raw.startsWith('-----BEGIN')) key = createPublicKey({ key: raw, format: 'pem' });
    else {
      const der = Buffer.from(raw, 'base64');
      key = createPublicKey({ key: der.length === 32 ? Buffer.concat([SPKI_ED25519_PREFIX, der]) : der, format: 'der', type: 'spki' });
    }
  } catch {
    throw new IntegrityKeyError('The public key is not an SPKI public key (PEM, or base64 of the DER or of a 32-byte Ed25519 key)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new IntegrityKeyError('The public key must be an Ed25519 key');
  return { publicKey: key, keyId: keyIdOf(key) };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

/** The public key as SPKI PEM, to hand to auditors and `npm run verify`. */
export function publicKeyPem(key: IntegrityVerificationKey): string {
  return key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

export function signText(key: IntegritySigningKey, text: string): Buffer {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey);
}

export function verifyText(key: IntegrityVerificationKey, text: string, signature: Buffer): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), key.publicKey, signature);
  } catch {
    return false;
  }
}

function signingKeyOf(privateKey: KeyObject, source: IntegritySigningKey['source']): IntegritySigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), source };
}
