/**
 * The container image without a Docker engine (issue 16 §1): the runtime file tree the Dockerfile
 * makes — the compiled code of deploy/image/build.mjs plus `npm ci --omit=dev --ignore-scripts` —
 * is built in a temporary directory, checked for what must not be in it (dev dependencies, specs,
 * dev keys), and a service is started from it as the image starts it (NODE_ENV=production, keys
 * from the environment) against the test PostgreSQL and NATS: ready, takes a command, stops on SIGTERM.
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevKeys, signDevToken } from '@haidang/auth';
import { createTestDatabase, startNatsServer, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { REPO_ROOT } from '../support/node-process';

jest.setTimeout(400_000);

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

describe("the image's runtime tree", () => {
  let work: string;
  let app: string;
  let database: TestDatabase;
  // A nats-server of its own: on the shared one this production-mode cases process would answer
  // other tests' request/reply calls (queue group `cases`) with its own verdicts.
  let nats: NatsServerHandle;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'haidang-image-'));
    app = join(work, 'app');
    // The build stage, then the runtime-deps stage, as the Dockerfile runs them.
    execFileSync(process.execPath, [join(REPO_ROOT, 'deploy', 'image', 'build.mjs'), REPO_ROOT, app], { stdio: 'pipe' });
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(REPO_ROOT, file), join(app, file));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'pipe', timeout: 300_000 });
  }, 400_000);

  afterAll(async () => {
    await nats?.destroy();
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('holds production dependencies, compiled code and nothing of development', () => {
    const modules = join(app, 'node_modules');
    // (typescript itself does come: @nestjs/swagger and typeorm depend on it at run time.)
    for (const dev of ['jest', 'nx', '@nx/devkit', 'eslint', 'prettier', 'playwright-core', '@event-driven-io/emmett'])
      expect([dev, existsSync(join(modules, dev))]).toEqual([dev, false]);
    for (const runtime of ['@nestjs/core', 'pg', '@nats-io/transport-node', 'jose', 'exceljs'])
      expect([runtime, existsSync(join(modules, runtime))]).toEqual([runtime, true]);
    const code = [...files(join(app, 'apps')), ...files(join(app, 'libs'))];
    expect(code.filter((file) => /\.spec\.|\.ts$/.test(file))).toEqual([]);
    expect(code.some((file) => file.endsWith(join('apps', 'cases', 'src', 'main.js')))).toBe(true);
    expect(existsSync(join(app, 'libs', 'testing'))).toBe(false);
    expect(existsSync(join(app, '.haidang'))).toBe(false);
  });

  it('starts a service from it as the image does, serves a command and stops cleanly on SIGTERM', async () => {
    database = await createTestDatabase();
    nats = await startNatsServer();
    const signing = generateKeyPairSync('ed25519');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      SERVICE: 'cases',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      JWT_PUBLIC_KEY: loadOrCreateDevKeys().publicKeyPem,
      DATA_KEY_ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
      PERSONAL_ID_INDEX_KEY: randomBytes(32).toString('base64'),
      INTEGRITY_SIGNING_KEY: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    // The image's CMD: `node apps/${SERVICE}/src/main.js`, from /app.
    const child = spawn(process.execPath, [join('apps', 'cases', 'src', 'main.js')], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      let url: string | undefined;
      while (!(url = /cases listening on (http:\/\/\S+)/.exec(output)?.[1])) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the service did not start from the image tree:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
      const person = await fetch(`${url}/api/v1/persons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          fullName: 'Hoàng Văn Ánh',
          dateOfBirth: '1992-05-06',
          sex: 'MALE',
          residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 2' },
        }),
      });
      expect(person.status).toBe(201);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
