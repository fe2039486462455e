/**
 * `npm start` on a machine with nothing but Node: the embedded PostgreSQL in a data directory that
 * does not exist yet, every migration, the in-process transport, the services (cases) answering;
 * ready, then a clean stop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

it('starts the embedded platform from nothing and stops cleanly', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hd-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HAIDANG_DATA_DIR: join(scratch, 'fresh', 'pglite'), CASES_PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  // As `npm start` runs it: swc keeps the decorator metadata Nest's injection and validation need.
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'tools', 'start.ts')], {
    cwd: join(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 90_000;
    while (!/Hải Đăng is up/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toMatch(/embedded PGlite/);
    expect(output).toMatch(/in-process event bus/);
    const casesUrl = /cases\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/.exec(output)?.[1];
    expect(casesUrl).toBeDefined();
    const ready = await fetch(`${casesUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${casesUrl}/api/v1/persons`)).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
});
