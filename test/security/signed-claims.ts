import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, findRepoRoot, loadOrCreateDevKeys } from '@haidang/auth';

/**
 * A token signed with the real (dev) key over claims as given: what a misconfigured identity
 * provider or a careless holder of the key could issue. `signDevToken` refuses claims the verifier
 * would refuse, so the forgeries of issue 10 §9 are made here.
 */
export async function signClaims(claims: { sub?: string; agency: string; roles: string[]; jurisdiction?: unknown }): Promise<string> {
  const { privateKeyPem } = loadOrCreateDevKeys(findRepoRoot());
  const { sub = `forged.${claims.agency.toLowerCase()}`, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEFAULT_ISSUER)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(createPrivateKey(privateKeyPem));
}
