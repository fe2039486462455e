import { generateKeyPairSync } from 'node:crypto';
import { merkleRoot } from './merkle';
import {
  IntegrityKeyError,
  integritySigningKeyFromEnv,
  integrityVerificationKeyFromEnv,
  parsePublicKey,
  publicKeyPem,
  signText,
  verifyText,
} from './signing-key';

describe('INTEGRITY_SIGNING_KEY', () => {
  const pair = generateKeyPairSync('ed25519');
  const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });

  it('reads a PKCS#8 PEM, its DER in base64 and the raw seed in base64 as the same key', () => {
    const fromPem = integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: pem });
    expect(fromPem.source).toBe('environment');
    expect(integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: der.toString('base64') }).keyId).toBe(fromPem.keyId);
    expect(integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: der.subarray(-32).toString('base64') }).keyId).toBe(fromPem.keyId);
    const signature = signText(fromPem, 'checkpoint');
    expect(verifyText(parsePublicKey(publicKeyPem(fromPem)), 'checkpoint', signature)).toBe(true);
    expect(verifyText(parsePublicKey(publicKeyPem(fromPem)), 'checkpoinT', signature)).toBe(false);
  });

  it('refuses another algorithm, garbage, and production without a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: rsa })).toThrow(IntegrityKeyError);
    expect(() => integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: 'not a key' })).toThrow(IntegrityKeyError);
    expect(() => integritySigningKeyFromEnv({ NODE_ENV: 'production' })).toThrow(/required in production/);
  });

  it('uses one stable development key outside production, and says it is one', () => {
    const a = integritySigningKeyFromEnv({});
    expect(a.source).toBe('development');
    expect(integritySigningKeyFromEnv({}).keyId).toBe(a.keyId);
    expect(integrityVerificationKeyFromEnv({})).toMatchObject({ keyId: a.keyId, source: 'development' });
    const publicOnly = integrityVerificationKeyFromEnv({ INTEGRITY_PUBLIC_KEY: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    expect(publicOnly).toMatchObject({ keyId: integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: pem }).keyId, source: 'INTEGRITY_PUBLIC_KEY' });
  });
});

describe('merkleRoot', () => {
  const head = (streamName: string, revision: bigint, fill: number) => ({ streamName, revision, hash: Buffer.alloc(32, fill) });

  it('does not depend on the order of the heads, and changes with any stream, revision or hash', () => {
    const heads = [head('A-1', 0n, 1), head('B-2', 3n, 2), head('C-3', 1n, 3)];
    const root = merkleRoot(heads).toString('hex');
    expect(merkleRoot([...heads].reverse()).toString('hex')).toBe(root);
    expect(merkleRoot([head('A-1', 0n, 1), head('B-2', 2n, 2), head('C-3', 1n, 3)]).toString('hex')).not.toBe(root);
    expect(merkleRoot([head('A-1', 0n, 1), head('B-2', 3n, 9), head('C-3', 1n, 3)]).toString('hex')).not.toBe(root);
    expect(merkleRoot(heads.slice(0, 2)).toString('hex')).not.toBe(root);
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
