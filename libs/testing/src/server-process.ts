import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { MissingDependencyError } from './binaries';

/** The OS account a server runs as when we are root (PostgreSQL refuses to run as root). */
export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** `undefined` when not root: the server then runs as the current user. */
export function serverOsUser(name: string): OsUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { name, uid, gid };
  } catch {
    throw new MissingDependencyError(
      `Running as root, and PostgreSQL refuses root: no OS user '${name}' to run it as. ` +
        `Create one (useradd --system ${name}; installing postgresql-15 does this), ` +
        'or set DATABASE_URL to an existing server.',
    );
  }
}

/** A fresh temp directory, owned by `owner` when given, whose name marks it as ours. */
export function makeServerDir(prefix: string, owner?: OsUser): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  return dir;
}

/** Runs a command to completion; the error carries its output, which says why initdb failed. */
export async function runCommand(file: string, args: readonly string[], options: { cwd: string; user?: OsUser | undefined }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, uid: options.user?.uid, gid: options.user?.gid, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || stdout || error.message}`, { cause: error }));
        else resolve();
      },
    );
  });
}

/**
 * Starts a server in its own process group, output appended to `logFile`. Its own group keeps a
 * Ctrl-C in the terminal from racing our shutdown, and lets `kill()` take down every process of the
 * server at once (PostgreSQL backends included), like a crash would. Unref'd so a forgotten server
 * never keeps Jest alive; the reaper removes it when we go away.
 */
export function spawnServer(file: string, args: readonly string[], options: { cwd: string; logFile: string; user?: OsUser | undefined }): ChildProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(file, args, {
      cwd: options.cwd,
      uid: options.user?.uid,
      gid: options.user?.gid,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', log, log],
      detached: true,
    });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` to the server's whole process group and waits until the main process is gone. */
export async function signalAndWait(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (hasExited(child)) return;
  // Ref'd while we wait: an unref'd child's 'exit' alone would not keep Node running to see it.
  child.ref();
  try {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    }
  } finally {
    child.unref();
  }
}

/** The last lines of a server log, for error messages. */
export function tailLog(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Runs in a separate Node process. Its stdin is a pipe from us: EOF means we exited, however we died
// (crash, SIGKILL, Jest killing a worker), and then it kills the server and removes its directory,
// so no run leaves servers or temp dirs behind. It checks /proc/<pid>/cmdline for the directory so a
// recycled pid is never killed.
const REAPER_SCRIPT = `
const fs = require('fs');
const [dir, removeDir] = process.argv.slice(1);
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
let pid = 0;
let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\\n');
  buffered = lines.pop();
  for (const line of lines) if (/^pid \\d+$/.test(line)) pid = Number(line.slice(4));
});
const alive = (p) => { try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').includes(dir); } catch { return false; } };
process.stdin.on('end', () => {
  if (pid && alive(pid)) { try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch {} } }
  const deadline = Date.now() + 5000;
  const finish = () => {
    if (pid && alive(pid) && Date.now() < deadline) return setTimeout(finish, 50);
    if (removeDir === '1') { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  };
  finish();
});
`;

/** Cleans up after us if we die; see REAPER_SCRIPT. */
export interface Reaper {
  /** Tells the reaper which process is the server now (after each start). */
  watch(pid: number | undefined): void;
  /** We cleaned up ourselves: the reaper only checks and exits. */
  release(): void;
}

export function startReaper(dir: string, options: { removeDir: boolean }): Reaper {
  const child = spawn(process.execPath, ['-e', REAPER_SCRIPT, dir, options.removeDir ? '1' : '0'], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.unref();
  const stdin = child.stdin as Writable & { unref?: () => void };
  stdin.unref?.();
  // A reaper that failed to start must not crash the test run; we lose only the crash cleanup.
  child.on('error', () => undefined);
  stdin.on('error', () => undefined);
  return {
    watch(pid) {
      if (pid !== undefined && stdin.writable) stdin.write(`pid ${pid}\n`);
    },
    release() {
      if (stdin.writable) stdin.end();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
