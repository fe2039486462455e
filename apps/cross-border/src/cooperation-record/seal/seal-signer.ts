import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findRepoRoot, isProduction } from '@haidang/auth';
import { canonicalJson, type RecordContent } from '../domain';

/** The dev signing key lives here, under the gitignored `.haidang/` of the repo root (never in production). */
export const DEV_SEAL_KEY_DIR = join('.haidang', 'cross-border-seal-key');
const PRIVATE_FILE = 'seal-ed25519.private.pem';

export const HASH_ALGORITHM = 'SHA-256';
export const SIGNATURE_ALGORITHM = 'Ed25519';

/** What the signature covers: the record, the hash of its content in both languages, and the day it was sealed. */
export interface SealStatement {
  readonly recordId: string;
  readonly contentHash: string;
  readonly hashAlgorithm: typeof HASH_ALGORITHM;
  readonly signatureAlgorithm: typeof SIGNATURE_ALGORITHM;
  readonly sealedOn: string;
}

/** The bytes the seal hashes: the record's content as canonical JSON (no persons: they are personal and can be shredded). */
export function sealedContentOf(content: RecordContent): string {
  return canonicalJson(content);
}

export function contentHashOf(content: RecordContent): string {
  return createHash('sha256').update(sealedContentOf(content), 'utf8').digest('hex');
}

export function statementBytes(statement: SealStatement): Buffer {
  return Buffer.from(canonicalJson(statement), 'utf8');
}

/** Signs seals with the service's Ed25519 key (`INTEGRITY_SIGNING_KEY`, else the dev key outside production). */
export class SealSigner {
  readonly publicKeyPem: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('INTEGRITY_SIGNING_KEY must be an Ed25519 private key (PKCS8)');
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(statement: SealStatement): string {
    return sign(null, statementBytes(statement), this.privateKey).toString('base64');
  }
}

/** Anyone's check of a seal: the signature over the statement with the published public key. */
export function verifySeal(statement: SealStatement, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(null, statementBytes(statement), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The signer from the environment: `INTEGRITY_SIGNING_KEY` as a PKCS8 PEM or its DER in base64.
 * Production must name it (a key made on this machine would let anyone with a shell forge seals);
 * elsewhere a dev key is made once and kept under `.haidang/`.
 */
export function sealSignerFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SealSigner {
  const raw = env['INTEGRITY_SIGNING_KEY']?.trim();
  if (raw) {
    const key = raw.startsWith('-----BEGIN') ? createPrivateKey(raw) : createPrivateKey({ key: Buffer.from(raw, 'base64'), format: 'der', type: 'pkcs8' });
    return new SealSigner(key);
  }
  if (isProduction(env)) throw new Error('NODE_ENV=production needs INTEGRITY_SIGNING_KEY (an Ed25519 PKCS8 key) to seal records');
  return new SealSigner(createPrivateKey(loadOrCreateDevSealKey()));
}

/** Made into a private temporary folder and renamed into place, so concurrent first starts agree on one key. */
function loadOrCreateDevSealKey(root: string = findRepoRoot()): string {
  const dir = join(root, DEV_SEAL_KEY_DIR);
  const file = join(dir, PRIVATE_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  mkdirSync(tmp, { mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(tmp, PRIVATE_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
  }
  return readFileSync(file, 'utf8');
}
