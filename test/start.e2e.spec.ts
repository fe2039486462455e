/**
 * `npm start` on a machine with nothing but Node: the embedded PostgreSQL in a data directory that
 * does not exist yet, every migration, the in-process transport; ready, then a clean stop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

it('starts the embedded platform from nothing and stops cleanly', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hd-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HAIDANG_DATA_DIR: join(scratch, 'fresh', 'pglite') };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  const child = spawn(process.execPath, [join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, '..', 'tools', 'start.ts')], {
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
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
});
