import { loadOrCreateDevKeys, findRepoRoot } from '../dev/dev-keys';
import { DEFAULT_AUDIENCE, DEFAULT_CLOCK_TOLERANCE_SEC, DEFAULT_ISSUER, readPublicKeyPem, type JwtVerifierOptions } from './jwt-verifier';

export interface AuthConfig extends JwtVerifierOptions {
  readonly clockToleranceSec: number;
  /** True when tokens are checked against the local dev key (embedded default only). */
  readonly devKeys: boolean;
}

export type AuthEnv = Readonly<Record<string, string | undefined>>;

export function isProduction(env: AuthEnv): boolean {
  return env['NODE_ENV'] === 'production';
}

/**
 * How tokens are verified, from the environment. Production must name its key (JWT_PUBLIC_KEY or
 * JWKS_URL): falling back to a key made on this machine there would accept tokens anyone with a
 * shell could mint. Elsewhere, with neither set, the dev key under `.haidang/dev-keys` is used.
 */
export function authConfigFromEnv(env: AuthEnv = process.env, options: { cwd?: string } = {}): AuthConfig {
  const issuer = env['JWT_ISSUER'] || DEFAULT_ISSUER;
  const audience = env['JWT_AUDIENCE'] || DEFAULT_AUDIENCE;
  const base = { issuer, audience, clockToleranceSec: DEFAULT_CLOCK_TOLERANCE_SEC };
  const publicKeyPem = env['JWT_PUBLIC_KEY'] || undefined;
  const jwksUrl = env['JWKS_URL'] || undefined;

  if (publicKeyPem && jwksUrl) throw new Error('Set only one of JWT_PUBLIC_KEY or JWKS_URL');
  if (publicKeyPem) {
    readPublicKeyPem(publicKeyPem); // fail at boot, not on the first request
    return { ...base, publicKeyPem, devKeys: false };
  }
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new Error('JWKS_URL is not a URL');
    }
    if (isProduction(env) && url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      throw new Error('JWKS_URL must use https in production (keys fetched in the clear can be swapped)');
    }
    return { ...base, jwksUrl, devKeys: false };
  }
  if (isProduction(env)) {
    throw new Error('NODE_ENV=production needs JWT_PUBLIC_KEY (PEM public key) or JWKS_URL to verify tokens; dev keys are refused in production');
  }
  const { publicKeyPem: devPublicKey } = loadOrCreateDevKeys(findRepoRoot(options.cwd));
  return { ...base, publicKeyPem: devPublicKey, devKeys: true };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}
