import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '@haidang/request-context';
import { principalFromClaims } from '../identity/claims';
import { isProduction, type AuthEnv } from '../identity/auth-config';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '../identity/jwt-verifier';
import { findRepoRoot, loadOrCreateDevKeys } from './dev-keys';

export interface DevTokenOptions {
  /** Agency code, e.g. `22-COMMUNE-06793`. */
  readonly agency: string;
  readonly roles: readonly Role[] | readonly string[];
  /** Administrative-unit codes of the jurisdiction, e.g. `['06793']` or `['22']`. */
  readonly units: readonly string[];
  readonly sub?: string;
  /** A `jose` time span (`'8h'`, `'15m'`) or seconds. */
  readonly ttl?: string | number;
  readonly env?: AuthEnv;
  /** Where to look for the repo root (default: the current directory). */
  readonly cwd?: string;
  /** For tests: the token's issue time. */
  readonly now?: Date;
}

export const DEFAULT_DEV_TTL = '8h';

/** A stable subject per agency, so that a developer's events are attributed to the same user. */
export function devSubject(agency: string): string {
  return `dev-user.${agency.toLowerCase()}`;
}

/**
 * Signs a token with the local dev key: for the embedded default only. The claims are checked
 * with the verifier's own rules, so a dev token can never carry what a service would refuse.
 */
export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const env = options.env ?? process.env;
  if (isProduction(env)) throw new Error('Dev tokens are refused when NODE_ENV=production');
  const issuer = env['JWT_ISSUER'] || DEFAULT_ISSUER;
  const audience = env['JWT_AUDIENCE'] || DEFAULT_AUDIENCE;
  const principal = principalFromClaims({
    sub: options.sub ?? devSubject(options.agency),
    agency: options.agency,
    roles: [...options.roles],
    jurisdiction: [...options.units],
  });
  const { privateKeyPem } = loadOrCreateDevKeys(findRepoRoot(options.cwd));
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const ttl = options.ttl ?? DEFAULT_DEV_TTL;
  return new SignJWT({ agency: principal.agency.code, roles: [...principal.roles], jurisdiction: [...principal.jurisdiction] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(typeof ttl === 'number' ? issuedAt + ttl : ttl)
    .sign(createPrivateKey(privateKeyPem));
}
