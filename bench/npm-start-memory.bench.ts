import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssMbOf } from './service-process';

export interface NpmStartMemorySample {
  readonly second: number;
  /** The start process and every process below it. */
  readonly rssMb: number;
  readonly registrations: number;
}

export interface NpmStartMemoryResult {
  readonly startSeconds: number;
  readonly idleRssMb: number;
  readonly samples: readonly NpmStartMemorySample[];
  readonly failures: number;
  /** Answers other than 200/201, by status (or the error's name). */
  readonly failuresByStatus: Readonly<Record<string, number>>;
}

/** The pids of `root` and of every process below it (from /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 2nd field after the command name, which may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

const treeRssMb = (root: number): number => processTree(root).reduce((sum, pid) => sum + (Number.isNaN(rssMbOf(pid)) ? 0 : rssMbOf(pid)), 0);

/**
 * `npm start` as a new user runs it (every service on the embedded PostgreSQL and the in-process
 * transport, demo data, a fresh data directory), then `seconds` of registrations and list reads on
 * cases with the printed commune token: the resident memory of the whole process tree, at start and
 * every 10 s.
 */
export async function benchmarkNpmStartMemory(options: { seconds: number; connections?: number }): Promise<NpmStartMemoryResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-start-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HAIDANG_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // One principal registering as fast as it can: above the per-principal budgets, which are not measured here.
    RATE_LIMIT_PER_PRINCIPAL: '1000000',
    RATE_LIMIT_PERSON_REGISTRATIONS: '1000000',
  };
  for (const service of ['CASES', 'REFERRALS', 'EMPLOYMENT', 'CAMPAIGNS', 'CROSS_BORDER', 'PROJECTIONS']) env[`${service}_PORT`] = '0';
  delete env['DATABASE_URL'];
  delete env['NATS_URL'];
  const spawned = performance.now();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'tools', 'start.ts')], {
    cwd: join(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 240_000;
    while (!/Stop with Ctrl-C/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const startSeconds = (performance.now() - spawned) / 1000;
    const casesUrl = /cases\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/.exec(output)?.[1];
    const token = /^\s*COMMUNE_TOKEN=(\S+)$/m.exec(output)?.[1];
    if (casesUrl === undefined || token === undefined) throw new Error('npm start printed no cases URL or commune token');
    const pid = child.pid as number;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idleRssMb = treeRssMb(pid);

    let registrations = 0;
    let failures = 0;
    const failuresByStatus: Record<string, number> = {};
    const failed = (why: string): void => {
      failures++;
      failuresByStatus[why] = (failuresByStatus[why] ?? 0) + 1;
    };
    let stop = false;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const worker = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const response =
            i % 4 === 3
              ? await fetch(`${casesUrl}/api/v1/persons?communeCode=06793`, { headers })
              : await fetch(`${casesUrl}/api/v1/persons`, {
                  method: 'POST',
                  headers,
                  body: JSON.stringify({
                    fullName: `Người đo bộ nhớ ${n}-${i}`,
                    dateOfBirth: '1990-01-01',
                    sex: i % 2 === 0 ? 'MALE' : 'FEMALE',
                    residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1' },
                  }),
                });
          await response.arrayBuffer();
          if (response.status === 201) registrations++;
          else if (response.status >= 400) failed(String(response.status));
        } catch (error) {
          failed((error as Error).name);
        }
      }
    };
    const started = performance.now();
    const load = Promise.all(Array.from({ length: options.connections ?? 4 }, (_, n) => worker(n)));
    const samples: NpmStartMemorySample[] = [];
    while (performance.now() - started < options.seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      samples.push({ second: Math.round((performance.now() - started) / 1000), rssMb: treeRssMb(pid), registrations });
    }
    stop = true;
    await load;
    return { startSeconds, idleRssMb, samples, failures, failuresByStatus };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runNpmStartMemorySection(options: { readonly quick: boolean }): Promise<NpmStartMemoryResult> {
  const inline = process.argv.find((a) => a.startsWith('--memory-seconds='))?.split('=')[1];
  const seconds = Number(inline ?? (options.quick ? 60 : 300));
  console.log(`(n) RSS of npm start (every service, embedded PostgreSQL, in-process transport) under registrations and list reads for ${seconds} s`);
  const result = await benchmarkNpmStartMemory({ seconds });
  const half = result.samples.find((s) => s.second >= seconds / 2) ?? result.samples[0];
  const last = result.samples.at(-1);
  console.table([
    {
      'start s': result.startSeconds.toFixed(1),
      'RSS MB idle': Math.round(result.idleRssMb),
      'RSS MB halfway': Math.round(half?.rssMb ?? Number.NaN),
      'RSS MB max': Math.round(Math.max(...result.samples.map((s) => s.rssMb))),
      'RSS MB at end': Math.round(last?.rssMb ?? Number.NaN),
      'growth 2nd half MB': Math.round((last?.rssMb ?? Number.NaN) - (half?.rssMb ?? Number.NaN)),
      registrations: last?.registrations ?? 0,
      failures: result.failures,
    },
  ]);
  if (result.failures > 0) console.log('failed answers by status:', result.failuresByStatus);
  return result;
}
