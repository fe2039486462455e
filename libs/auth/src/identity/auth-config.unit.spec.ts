import { generateKeyPairSync } from 'node:crypto';
import { authConfigFromEnv } from './auth-config';

const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;

describe('authConfigFromEnv', () => {
  it('fails fast in production without JWT_PUBLIC_KEY or JWKS_URL', () => {
    expect(() => authConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs JWT_PUBLIC_KEY .* or JWKS_URL/);
  });

  it('takes JWT_PUBLIC_KEY, with issuer and audience defaults or overrides', () => {
    expect(authConfigFromEnv({ NODE_ENV: 'production', JWT_PUBLIC_KEY: pem })).toEqual({
      publicKeyPem: pem,
      issuer: 'haidang',
      audience: 'haidang-api',
      clockToleranceSec: 30,
      devKeys: false,
    });
    expect(authConfigFromEnv({ JWT_PUBLIC_KEY: pem, JWT_ISSUER: 'idp', JWT_AUDIENCE: 'cases' })).toMatchObject({ issuer: 'idp', audience: 'cases' });
  });

  it('takes JWKS_URL; in production only over https (or loopback)', () => {
    expect(authConfigFromEnv({ NODE_ENV: 'production', JWKS_URL: 'https://idp.example/jwks.json' })).toMatchObject({
      jwksUrl: 'https://idp.example/jwks.json',
    });
    expect(() => authConfigFromEnv({ NODE_ENV: 'production', JWKS_URL: 'http://idp.example/jwks.json' })).toThrow(/https/);
    expect(authConfigFromEnv({ NODE_ENV: 'production', JWKS_URL: 'http://127.0.0.1:9/jwks' })).toMatchObject({ devKeys: false });
    expect(() => authConfigFromEnv({ JWKS_URL: 'not a url' })).toThrow(/not a URL/);
  });

  it('refuses both key sources at once, and a key that is not a public PEM', () => {
    expect(() => authConfigFromEnv({ JWT_PUBLIC_KEY: pem, JWKS_URL: 'https://idp/jwks' })).toThrow(/only one/);
    expect(() => authConfigFromEnv({ JWT_PUBLIC_KEY: 'secret' })).toThrow(/not a PEM public key/);
  });
});
