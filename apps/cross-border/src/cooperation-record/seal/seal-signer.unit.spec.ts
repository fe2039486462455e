import { generateKeyPairSync } from 'node:crypto';
import { ConfigurationError } from '@haidang/service-kit';
import { crossBorderService } from '../../cross-border-service';
import { HASH_ALGORITHM, SealSigner, sealSignerFromEnv, SIGNATURE_ALGORITHM, verifySeal, type SealStatement } from './seal-signer';

const statement: SealStatement = {
  recordId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10',
  contentHash: 'a'.repeat(64),
  hashAlgorithm: HASH_ALGORITHM,
  signatureAlgorithm: SIGNATURE_ALGORITHM,
  sealedOn: '2020-06-12',
};

describe('seal signer', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

  it('reads INTEGRITY_SIGNING_KEY as a PKCS8 PEM or its DER in base64, the same key either way', () => {
    const fromPem = sealSignerFromEnv({ INTEGRITY_SIGNING_KEY: pem });
    const fromBase64 = sealSignerFromEnv({ INTEGRITY_SIGNING_KEY: base64 });
    expect(fromBase64.publicKeyPem).toBe(fromPem.publicKeyPem);
    const signature = fromPem.sign(statement);
    expect(verifySeal(statement, signature, fromBase64.publicKeyPem)).toBe(true);
    expect(verifySeal({ ...statement, sealedOn: '2020-06-13' }, signature, fromPem.publicKeyPem)).toBe(false);
    expect(verifySeal(statement, signature, new SealSigner(generateKeyPairSync('ed25519').privateKey).publicKeyPem)).toBe(false);
  });

  it('refuses a key that is not Ed25519, and production without a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => sealSignerFromEnv({ INTEGRITY_SIGNING_KEY: rsa })).toThrow('Ed25519');
    expect(() => sealSignerFromEnv({ NODE_ENV: 'production' })).toThrow('INTEGRITY_SIGNING_KEY');
    expect(() => crossBorderService.configure?.({ NODE_ENV: 'production', PORT: '3005' })).toThrow(ConfigurationError);
  });

  it('makes and keeps one dev key outside production', () => {
    expect(sealSignerFromEnv({}).publicKeyPem).toBe(sealSignerFromEnv({}).publicKeyPem);
  });
});
