import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A service started as its own process (`npm run start:<name>`), so its CPU and memory are its own, not the bench's. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resident set size in MB, read from /proc (Linux). */
  rssMb(): number;
  /** SIGINT (the service stops in order; a --cpu-prof profile is written on exit) and waits for the exit. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..');

export interface ServiceProcessOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Write a V8 CPU profile into this directory when the process exits. */
  readonly cpuProfileDir?: string;
  readonly startTimeoutMs?: number;
  /**
   * Run the compiled tree the image runs (deploy/image/build.mjs output, with a node_modules beside
   * it) instead of the TypeScript sources through @swc-node/register: `node <root>/apps/<name>/src/main.js`.
   */
  readonly compiledRoot?: string;
  /** Extra Node flags, e.g. `--max-old-space-size=96`. */
  readonly nodeOptions?: readonly string[];
}

/**
 * Starts `apps/<name>/src/main.ts` with @swc-node/register (as `npm run start:<name>`), or the
 * compiled `main.js` of `compiledRoot` (as the image does), in the repo root (where the dev keys are); waits for
 * its "listening on <url>" line and returns the URL. Logs are read and dropped (their cost stays in
 * the service's figure, as it would writing to a container's stdout).
 */
export async function startServiceProcess(name: string, options: ServiceProcessOptions): Promise<ServiceProcess> {
  const compiledRoot = options.compiledRoot ?? (process.env['BENCH_RUNTIME'] === 'compiled' ? compiledTree() : undefined);
  const args = [
    ...(options.nodeOptions ?? []),
    ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]),
    ...(compiledRoot === undefined
      ? ['-r', '@swc-node/register', join(ROOT, 'apps', name, 'src', 'main.ts')]
      : [join(compiledRoot, 'apps', name, 'src', 'main.js')]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      RATE_LIMIT_PER_PRINCIPAL: '999999999',
      RATE_LIMIT_PER_ADDRESS: '999999999',
      RATE_LIMIT_PERSON_REGISTRATIONS: '999999999',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time: ${stderr}`)), options.startTimeoutMs ?? 120_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    name,
    url,
    pid: child.pid as number,
    child,
    rssMb: () => rssMbOf(child.pid as number),
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** VmRSS of a process in MB (NaN once it is gone). */
export function rssMbOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

let builtTree: string | undefined;

/**
 * `BENCH_RUNTIME=compiled`: the services run as the image runs them, from the tree
 * deploy/image/build.mjs compiles (built once per bench process into a temporary directory, with
 * the repo's node_modules linked beside it; removed at exit). The TypeScript loader costs each
 * process ~100 MB of RSS (the `typescript` package it reads tsconfig with, swc's native binding),
 * which no deployed service carries.
 */
export function compiledTree(): string {
  if (builtTree !== undefined) return builtTree;
  const dir = mkdtempSync(join(tmpdir(), 'haidang-bench-tree-'));
  execFileSync(process.execPath, [join(ROOT, 'deploy', 'image', 'build.mjs'), ROOT, dir], { stdio: 'pipe' });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  builtTree = dir;
  return dir;
}
