import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { authConfigFromEnv } from '../identity/auth-config';
import { createJwtVerifier } from '../identity/jwt-verifier';
import { DEV_KEYS_DIR, findRepoRoot, loadOrCreateDevKeys } from './dev-keys';
import { devSubject, signDevToken } from './dev-token';

jest.setTimeout(60_000);

describe('dev keys and dev tokens (in a scratch repo root)', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'haidang-auth-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    mkdirSync(join(root, 'apps', 'cases'), { recursive: true });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the repo root from a folder below it, and says so when there is none', () => {
    expect(findRepoRoot(join(root, 'apps', 'cases'))).toBe(root);
    expect(() => findRepoRoot('/')).toThrow(/No nx.json/);
  });

  it('makes the key pair once, readable by its owner only, and keeps it', () => {
    const first = loadOrCreateDevKeys(root);
    expect(first.dir).toBe(join(root, DEV_KEYS_DIR));
    for (const file of ['dev-ed25519.private.pem', 'dev-ed25519.public.pem']) expect(statSync(join(first.dir, file)).mode & 0o777).toBe(0o600);
    expect(statSync(first.dir).mode & 0o777).toBe(0o700);
    expect(first.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    expect(loadOrCreateDevKeys(root)).toEqual(first);
  });

  it('signs a token the dev-key verifier accepts (config from an empty env)', async () => {
    const config = authConfigFromEnv({}, { cwd: join(root, 'apps', 'cases') });
    expect(config.devKeys).toBe(true);
    const jwt = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'], cwd: root, env: {} });
    await expect(createJwtVerifier(config).verify(jwt)).resolves.toEqual({
      sub: devSubject('22-COMMUNE-06793'),
      agency: { code: '22-COMMUNE-06793', type: 'COMMUNE', province: '22' },
      roles: ['caseworker'],
      jurisdiction: ['06793'],
    });
  });

  it('signs with the issuer and audience of the environment, and a token past its ttl is refused', async () => {
    const env = { JWT_ISSUER: 'dev-idp', JWT_AUDIENCE: 'cases' };
    const config = authConfigFromEnv(env, { cwd: root });
    const jwt = await signDevToken({
      agency: '22-PPC',
      roles: ['analyst'],
      units: ['22'],
      sub: 'analyst-1',
      ttl: 60,
      cwd: root,
      env,
      now: new Date(Date.now() - 3_600_000),
    });
    expect(decodeJwt(jwt)).toMatchObject({ iss: 'dev-idp', aud: 'cases', sub: 'analyst-1' });
    await expect(createJwtVerifier(config).verify(jwt)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('refuses in production, and refuses claims a service would refuse', async () => {
    await expect(signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'], cwd: root, env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /production/,
    );
    await expect(signDevToken({ agency: '22-PPC', roles: ['root'], units: ['22'], cwd: root, env: {} })).rejects.toThrow(/roles/);
    await expect(signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['Hạ Long'], cwd: root, env: {} })).rejects.toThrow(/jurisdiction/);
  });
});

describe('npm run token (tools/token.ts as a child process)', () => {
  const repo = findRepoRoot(__dirname);
  const tsx = join(repo, 'node_modules', '.bin', 'tsx');
  const run = (args: string[], env: Record<string, string> = {}) => {
    const { NODE_ENV: _ignored, ...rest } = process.env;
    return spawnSync(tsx, ['tools/token.ts', ...args], { cwd: repo, env: { ...rest, ...env }, encoding: 'utf8' });
  };

  it('prints a JWT alone on stdout that the dev-key verifier accepts', async () => {
    const result = run(['--agency', '22-COMMUNE-06793', '--role', 'caseworker', '--role', 'supervisor', '--unit', '06793']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = createJwtVerifier(authConfigFromEnv({}, { cwd: repo }));
    await expect(verifier.verify(result.stdout.trim())).resolves.toMatchObject({
      agency: { code: '22-COMMUNE-06793' },
      roles: ['caseworker', 'supervisor'],
      jurisdiction: ['06793'],
    });
  });

  it("defaults the unit to the agency's province", () => {
    const result = run(['--agency', '22-DOLISA', '--role', 'analyst']);
    expect(result.status).toBe(0);
    expect(decodeJwt(result.stdout.trim())).toMatchObject({ jurisdiction: ['22'], sub: devSubject('22-DOLISA') });
  });

  it('refuses with exit code 2 when NODE_ENV=production, printing nothing on stdout', () => {
    const result = run(['--agency', '22-PPC', '--role', 'analyst'], { NODE_ENV: 'production' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/refused when NODE_ENV=production/);
  });

  it('refuses an invalid agency, role or unit with exit code 2', () => {
    for (const args of [
      ['--agency', '22-MINISTRY', '--role', 'analyst'],
      ['--agency', '22-PPC', '--role', 'root'],
      ['--agency', '22-PPC', '--role', 'analyst', '--unit', 'x1'],
    ]) {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^token: /);
    }
  });
});
