import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { UnauthenticatedError, type AuthenticationFailure } from './errors';
import { algorithmForPublicKey, createJwtVerifier, DEFAULT_CLOCK_TOLERANCE_SEC } from './jwt-verifier';

const claims = { agency: '22-COMMUNE-06793', roles: ['caseworker'], jurisdiction: ['06793'] };
const NOW = () => Math.floor(Date.now() / 1000);

function pair(kind: 'rsa' | 'ec' | 'ed25519'): { privateKey: KeyObject; publicKey: KeyObject; pem: string } {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return { privateKey, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

async function sign(
  key: KeyObject | Uint8Array,
  alg: string,
  overrides: { iss?: string; aud?: string; exp?: number; nbf?: number; body?: Record<string, unknown>; sub?: string | null } = {},
): Promise<string> {
  const jwt = new SignJWT(overrides.body ?? claims)
    .setProtectedHeader({ alg })
    .setIssuer(overrides.iss ?? 'haidang')
    .setAudience(overrides.aud ?? 'haidang-api')
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? NOW() + 300);
  if (overrides.sub !== null) jwt.setSubject(overrides.sub ?? 'u-1');
  if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
  return jwt.sign(key);
}

async function failure(promise: Promise<unknown>): Promise<AuthenticationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as UnauthenticatedError).reason;
}

describe('createJwtVerifier with a PEM public key', () => {
  const ed = pair('ed25519');
  const verifier = createJwtVerifier({ publicKeyPem: ed.pem, issuer: 'haidang', audience: 'haidang-api' });

  it.each([
    ['rsa', 'RS256'],
    ['ec', 'ES256'],
    ['ed25519', 'EdDSA'],
  ] as const)('detects the algorithm of an %s key and verifies its tokens', async (kind, alg) => {
    const keys = pair(kind);
    expect(algorithmForPublicKey(keys.publicKey)).toBe(alg);
    const v = createJwtVerifier({ publicKeyPem: keys.pem, issuer: 'haidang', audience: 'haidang-api' });
    await expect(v.verify(await sign(keys.privateKey, alg))).resolves.toMatchObject({ sub: 'u-1', agency: { type: 'COMMUNE', province: '22' } });
  });

  it('accepts a PEM written on one line with \\n escapes (as env vars often carry it)', async () => {
    const v = createJwtVerifier({ publicKeyPem: ed.pem.replace(/\n/g, '\\n'), issuer: 'haidang', audience: 'haidang-api' });
    await expect(v.verify(await sign(ed.privateKey, 'EdDSA'))).resolves.toMatchObject({ sub: 'u-1' });
  });

  it('refuses a token signed by another key', async () => {
    expect(await failure(verifier.verify(await sign(pair('ed25519').privateKey, 'EdDSA')))).toBe('invalid-signature');
  });

  it('refuses HS256 signed with the public key as the secret, and alg none', async () => {
    const hmac = await sign(new TextEncoder().encode(ed.pem), 'HS256');
    expect(await failure(verifier.verify(hmac))).toBe('malformed');
    const unsecured = new UnsecuredJWT({ ...claims, sub: 'u-1' }).setIssuer('haidang').setAudience('haidang-api').setExpirationTime('5m').encode();
    expect(await failure(verifier.verify(unsecured))).toBe('malformed');
  });

  it('refuses another algorithm than the key type allows (RS256 key, ES256 token)', async () => {
    const rsa = pair('rsa');
    const v = createJwtVerifier({ publicKeyPem: rsa.pem, issuer: 'haidang', audience: 'haidang-api' });
    expect(await failure(v.verify(await sign(pair('ec').privateKey, 'ES256')))).toBe('malformed');
  });

  it('checks issuer, audience, expiry and not-before with a small skew', async () => {
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { iss: 'someone-else' })))).toBe('wrong-issuer');
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { aud: 'other-api' })))).toBe('wrong-audience');
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { exp: NOW() - 120 })))).toBe('expired');
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { nbf: NOW() + 120 })))).toBe('not-yet-valid');
    // Within the 30 s tolerance: a clock a little behind or ahead still works.
    await expect(verifier.verify(await sign(ed.privateKey, 'EdDSA', { exp: NOW() - 5 }))).resolves.toBeDefined();
    await expect(verifier.verify(await sign(ed.privateKey, 'EdDSA', { nbf: NOW() + 5 }))).resolves.toBeDefined();
  });

  it('refuses a token without sub, or with an unknown role, as invalid claims', async () => {
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { sub: null })))).toBe('invalid-claims');
    const body = { ...claims, roles: ['caseworker', 'root'] };
    expect(await failure(verifier.verify(await sign(ed.privateKey, 'EdDSA', { body })))).toBe('invalid-claims');
  });

  it('refuses garbage and never echoes it', async () => {
    const error = (await verifier.verify('not.a.jwt').catch((e: unknown) => e)) as UnauthenticatedError;
    expect(error.reason).toBe('malformed');
    expect(JSON.stringify(error.problem)).not.toContain('not.a.jwt');
    expect(await failure(verifier.verify(''))).toBe('missing');
  });

  it('needs exactly one key source', () => {
    expect(() => createJwtVerifier({ issuer: 'haidang', audience: 'haidang-api' })).toThrow(/exactly one/);
    expect(() => createJwtVerifier({ publicKeyPem: ed.pem, jwksUrl: 'https://x/jwks', issuer: 'haidang', audience: 'haidang-api' })).toThrow(/exactly one/);
    expect(() => createJwtVerifier({ publicKeyPem: 'nope', issuer: 'haidang', audience: 'haidang-api' })).toThrow(/not a PEM public key/);
  });
});

describe('createJwtVerifier: verified tokens are remembered, refused ones are not', () => {
  const ed = pair('ed25519');

  /** A verifier on a clock the test moves. */
  function onClock(startMs: number): { verifier: ReturnType<typeof createJwtVerifier>; clock: { ms: number } } {
    const clock = { ms: startMs };
    return { verifier: createJwtVerifier({ publicKeyPem: ed.pem, issuer: 'haidang', audience: 'haidang-api', now: () => clock.ms }), clock };
  }

  it('refuses a remembered token once it is past its exp (and the clock tolerance)', async () => {
    const start = NOW();
    const { verifier, clock } = onClock(start * 1000);
    const token = await sign(ed.privateKey, 'EdDSA', { exp: start + 20 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u-1' });
    // Still remembered a moment later …
    clock.ms = (start + 10) * 1000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u-1' });
    // … and refused once exp and the 30 s tolerance are behind.
    clock.ms = (start + 20 + DEFAULT_CLOCK_TOLERANCE_SEC + 1) * 1000;
    expect(await failure(verifier.verify(token))).toBe('expired');
  });

  it('refuses a token with the same claims as a remembered one but another signature', async () => {
    const { verifier } = onClock(Date.now());
    const exp = NOW() + 300;
    const genuine = await sign(ed.privateKey, 'EdDSA', { exp });
    await expect(verifier.verify(genuine)).resolves.toMatchObject({ sub: 'u-1' });
    // Same header and payload, the signature of another key; and the genuine one with a flipped signature byte.
    const forged = await sign(pair('ed25519').privateKey, 'EdDSA', { exp });
    expect(forged.split('.').slice(0, 2)).toEqual(genuine.split('.').slice(0, 2));
    expect(await failure(verifier.verify(forged))).toBe('invalid-signature');
    const signature = genuine.split('.')[2] as string;
    const flipped = `${genuine.slice(0, genuine.length - signature.length)}${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await failure(verifier.verify(flipped))).toBe('invalid-signature');
    // The genuine token is still accepted.
    await expect(verifier.verify(genuine)).resolves.toMatchObject({ sub: 'u-1' });
  });

  it('checks the signature again after the TTL', async () => {
    const start = Date.now();
    const clock = { ms: start };
    const verifier = createJwtVerifier({ publicKeyPem: ed.pem, issuer: 'haidang', audience: 'haidang-api', verifiedTokenTtlMs: 1000, now: () => clock.ms });
    const token = await sign(ed.privateKey, 'EdDSA');
    const first = await verifier.verify(token);
    // Within the TTL the remembered (frozen) principal is handed out; after it, a newly verified one.
    expect(await verifier.verify(token)).toBe(first);
    clock.ms = start + 1001;
    const again = await verifier.verify(token);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(Object.isFrozen(again)).toBe(true);
  });
});
