import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

jest.setTimeout(60_000);

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('servers of a process that dies', () => {
  it('are stopped and their temp dirs removed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/start-servers-and-hang.ts')], {
      cwd: join(__dirname, '../../..'), // where `--import tsx` resolves
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ natsPort: number; natsDir: string; pgPort: number; pgDir: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
      });
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
    });
    expect(await portAccepts(started.natsPort)).toBe(true);
    expect(await portAccepts(started.pgPort)).toBe(true);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL'); // no finally blocks, no exit handlers: only the reapers can clean up
    await exited;

    await waitFor(async () => !(await portAccepts(started.natsPort)) && !(await portAccepts(started.pgPort)), {
      timeoutMs: 10_000,
      description: 'servers stopped',
    });
    await waitFor(() => !existsSync(started.natsDir) && !existsSync(started.pgDir), {
      timeoutMs: 10_000,
      description: 'temp dirs removed',
    });
  });
});
