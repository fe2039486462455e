import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal } from '@haidang/request-context';
import { InvalidClaimsError, principalFromClaims } from './claims';
import { UnauthenticatedError, type AuthenticationFailure } from './errors';

export const DEFAULT_ISSUER = 'haidang';
export const DEFAULT_AUDIENCE = 'haidang-api';
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;
/** How long a verified token is taken on trust before its signature is checked again (never past its `exp`). */
export const DEFAULT_VERIFIED_TOKEN_TTL_MS = 60_000;
/** How many verified tokens one process remembers (least recently used go first). */
export const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

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
  /**
   * A verified token's principal is kept for this long (default DEFAULT_VERIFIED_TOKEN_TTL_MS), never
   * past the token's `exp`; 0 verifies every request. With a JWKS this is also how long a token signed
   * by a key removed from the set stays accepted.
   */
  readonly verifiedTokenTtlMs?: number;
  readonly verifiedTokenCacheSize?: number;
  /** The clock (ms since the epoch), for tests; `Date.now` by default. */
  readonly now?: () => number;
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
  const {
    publicKeyPem,
    jwksUrl,
    issuer,
    audience,
    clockToleranceSec = DEFAULT_CLOCK_TOLERANCE_SEC,
    verifiedTokenTtlMs = DEFAULT_VERIFIED_TOKEN_TTL_MS,
    verifiedTokenCacheSize = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE,
    now = Date.now,
  } = options;
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

  const verified = new VerifiedTokens(verifiedTokenCacheSize);

  return {
    async verify(token: string): Promise<Principal> {
      if (!token || token.length > 16_384) throw new UnauthenticatedError(token ? 'malformed' : 'missing');
      const at = now();
      // The digest of the exact token string: another signature (a forgery of the same claims) is another key.
      const digest = verifiedTokenTtlMs > 0 ? createHash('sha256').update(token).digest('base64') : undefined;
      const known = digest === undefined ? undefined : verified.get(digest, at);
      if (known !== undefined) return known;
      let payload: Record<string, unknown>;
      try {
        // Overloads differ only in the key's type; one call through a widened signature keeps both.
        const verify = jwtVerify as (t: string, k: KeyObject | JWTVerifyGetKey, o: object) => ReturnType<typeof jwtVerify>;
        ({ payload } = await verify(token, key, {
          issuer,
          audience,
          algorithms,
          clockTolerance: clockToleranceSec,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(at),
        }));
      } catch (error) {
        throw new UnauthenticatedError(failureOf(error));
      }
      let principal: Principal;
      try {
        // Frozen by principalFromClaims: the requests that share it cannot change it.
        principal = principalFromClaims(payload);
      } catch (error) {
        if (error instanceof InvalidClaimsError) throw new UnauthenticatedError('invalid-claims');
        throw error;
      }
      // Until `exp` itself (the tolerance is for clock skew, not a reason to keep trusting it) or the TTL.
      const expiresAt = Math.min(Number(payload['exp']) * 1000, at + verifiedTokenTtlMs);
      if (digest !== undefined && expiresAt > at) verified.set(digest, principal, expiresAt);
      return principal;
    },
  };
}

/**
 * Verified tokens by the SHA-256 of the token, bounded, least recently used evicted first (a Map
 * keeps insertion order; a hit is moved to the end). A token's signature is checked once per
 * process and TTL instead of on every request (EdDSA verification was ~6-8% of a command's CPU).
 * Only verified tokens go in: a refused token is checked again every time.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly expiresAt: number }>();

  constructor(private readonly capacity: number) {}

  get(digest: string, at: number): Principal | undefined {
    const entry = this.entries.get(digest);
    if (entry === undefined) return undefined;
    this.entries.delete(digest);
    if (entry.expiresAt <= at) return undefined;
    this.entries.set(digest, entry);
    return entry.principal;
  }

  set(digest: string, principal: Principal, expiresAt: number): void {
    if (this.capacity <= 0) return;
    this.entries.delete(digest);
    this.entries.set(digest, { principal, expiresAt });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
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
