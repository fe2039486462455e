import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal } from '@haidang/request-context';
import { InvalidClaimsError, principalFromClaims } from './claims';
import { UnauthenticatedError, type AuthenticationFailure } from './errors';

export const DEFAULT_ISSUER = 'haidang';
export const DEFAULT_AUDIENCE = 'haidang-api';
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;

/**
 * Asymmetric algorithms only. `none` and HS* are never accepted: with HS* a verifier holding a
 * public key could be tricked into using it as an HMAC secret.
 */
export const JWKS_ALGORITHMS = ['RS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519'] as const;

export interface JwtVerifierOptions {
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`) of an RSA, EC P-256/P-384 or Ed25519 key. */
  readonly publicKeyPem?: string;
  /** A JWKS endpoint (keys fetched, cached and refreshed by `jose` on an unknown `kid`). */
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSec?: number;
}

export interface JwtVerifier {
  /** The token's principal; throws UnauthenticatedError for anything else. */
  verify(token: string): Promise<Principal>;
}

/** The one algorithm a PEM key may sign with, from the key's own type. */
export function algorithmForPublicKey(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
      if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
      throw new Error(`Unsupported EC curve for JWT verification: ${String(curve)}`);
    }
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new Error(`Unsupported public key type for JWT verification: ${String(key.asymmetricKeyType)}`);
  }
}

/** Reads a PEM public key; tolerates `\n` escapes, as a PEM in one env-var line often has. */
export function readPublicKeyPem(pem: string): KeyObject {
  const text = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text.trim(), format: 'pem' });
  } catch {
    throw new Error('JWT_PUBLIC_KEY is not a PEM public key');
  }
  if (key.type !== 'public') throw new Error('JWT_PUBLIC_KEY must be a public key');
  return key;
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const { publicKeyPem, jwksUrl, issuer, audience, clockToleranceSec = DEFAULT_CLOCK_TOLERANCE_SEC } = options;
  if ((publicKeyPem ? 1 : 0) + (jwksUrl ? 1 : 0) !== 1) throw new Error('Give exactly one of publicKeyPem or jwksUrl to verify tokens');
  if (!issuer || !audience) throw new Error('A JWT issuer and audience are required');

  let key: KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if (publicKeyPem) {
    key = readPublicKeyPem(publicKeyPem);
    algorithms = [algorithmForPublicKey(key)];
  } else {
    key = createRemoteJWKSet(new URL(jwksUrl as string));
    algorithms = [...JWKS_ALGORITHMS];
  }

  return {
    async verify(token: string): Promise<Principal> {
      if (!token || token.length > 16_384) throw new UnauthenticatedError(token ? 'malformed' : 'missing');
      let payload: Record<string, unknown>;
      try {
        // Overloads differ only in the key's type; one call through a widened signature keeps both.
        const verify = jwtVerify as (t: string, k: KeyObject | JWTVerifyGetKey, o: object) => ReturnType<typeof jwtVerify>;
        ({ payload } = await verify(token, key, { issuer, audience, algorithms, clockTolerance: clockToleranceSec, requiredClaims: ['exp', 'sub'] }));
      } catch (error) {
        throw new UnauthenticatedError(failureOf(error));
      }
      try {
        return principalFromClaims(payload);
      } catch (error) {
        if (error instanceof InvalidClaimsError) throw new UnauthenticatedError('invalid-claims');
        throw error;
      }
    },
  };
}

function failureOf(error: unknown): AuthenticationFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not-yet-valid';
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'aud') return 'wrong-audience';
    return 'invalid-claims';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'invalid-signature';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSEAlgNotAllowed) return 'malformed';
  return 'invalid';
}
