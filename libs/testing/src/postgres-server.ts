import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { findPostgresBinaries } from './binaries';
import { freePort } from './free-port';
import { hasExited, makeServerDir, removeDir, runCommand, serverOsUser, signalAndWait, spawnServer, startReaper, tailLog } from './server-process';

export interface PostgresServerOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Look for initdb/postgres only here (default: PG_BIN_DIR, /usr/lib/postgresql/<n>/bin, PATH). */
  readonly binDir?: string;
  /**
   * Default false: `initdb --no-sync`, `fsync=off`, `full_page_writes=off`. That still survives
   * `kill()` (the OS keeps written pages); only an OS crash would lose data. Set true for tests of
   * durability itself.
   */
  readonly durable?: boolean;
  /** Extra `-c name=value` server settings. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  /** OS account to run as when we are root (default `postgres`). */
  readonly osUser?: string;
  /** Per start/restart (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** A throwaway PostgreSQL cluster in a temp dir: superuser `postgres`, trust auth, loopback only. */
export interface PostgresServerHandle {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`; the same after a restart. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fast shutdown (SIGINT: clients disconnected, clean checkpoint); waits for exit. */
  stop(): Promise<void>;
  /** SIGKILL to every server process, like a crash; the next start runs crash recovery. */
  kill(): Promise<void>;
  /** Stops it if running, then starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops it and deletes the cluster. */
  destroy(): Promise<void>;
}

const BIND_FAILURE = /could not bind|could not create any TCP\/IP sockets|Address already in use/i;

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServerHandle> {
  const binaries = findPostgresBinaries(options.binDir === undefined ? {} : { binDir: options.binDir });
  const user = serverOsUser(options.osUser ?? 'postgres');
  const dir = makeServerDir('haidang-pg-', user);
  const reaper = startReaper(dir, { removeDir: true });
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const durable = options.durable ?? false;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  const settings: Record<string, string | number | boolean> = {
    listen_addresses: '127.0.0.1',
    // No Unix socket: its lock file in a shared directory would collide between clusters.
    unix_socket_directories: '',
    max_connections: 200,
    // Not synchronous_commit=off: that loses acknowledged commits on kill(), which restart tests need.
    ...(durable ? {} : { fsync: 'off', full_page_writes: 'off' }),
    ...options.settings,
  };
  const settingArgs = Object.entries(settings).flatMap(([name, value]) => [
    '-c',
    `${name}=${typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value)}`,
  ]);

  let child: ChildProcess | undefined;
  let port = options.port ?? 0;

  const urlFor = (p: number): string => `postgres://postgres@127.0.0.1:${p}/postgres`;

  const startOnce = async (): Promise<void> => {
    const started = spawnServer(binaries.postgres, ['-D', dataDir, '-p', String(port), ...settingArgs], {
      cwd: dir,
      logFile,
      user,
    });
    child = started;
    reaper.watch(started.pid);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (hasExited(started)) {
        const log = tailLog(logFile);
        const error = new Error(`PostgreSQL on port ${port} exited during start-up:\n${log}`);
        (error as Error & { bindFailure?: boolean }).bindFailure = BIND_FAILURE.test(log);
        throw error;
      }
      if (await acceptsQueries(urlFor(port))) return;
      if (Date.now() > deadline) {
        await signalAndWait(started, 'SIGKILL', 5_000);
        throw new Error(`PostgreSQL on port ${port} not ready within ${startTimeoutMs} ms:\n${tailLog(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  try {
    await runCommand(binaries.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])], {
      cwd: dir,
      user,
    });
    // A free port can be taken between freePort() and bind; only a port we chose is retried.
    for (let attempt = 1; ; attempt++) {
      if (!options.port) port = await freePort();
      try {
        await startOnce();
        break;
      } catch (error) {
        const bindFailure = (error as { bindFailure?: boolean }).bindFailure === true;
        if (!bindFailure || options.port || attempt >= 5) throw error;
      }
    }
  } catch (error) {
    reaper.release();
    removeDir(dir);
    throw error;
  }

  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child) await signalAndWait(child, signal, 30_000);
  };

  return {
    url: urlFor(port),
    port,
    dataDir,
    stop: () => stopWith('SIGINT'),
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGINT');
      // After kill(), backends that outlived the postmaster can hold its shared memory a moment.
      for (let attempt = 1; ; attempt++) {
        try {
          await startOnce();
          return;
        } catch (error) {
          if (attempt >= 3 || !/shared memory block is still in use|lock file .* already exists/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    },
    async destroy() {
      await stopWith('SIGINT');
      reaper.release();
      removeDir(dir);
    },
  };
}

async function acceptsQueries(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  // A refused connection also emits 'error' on the client; without a listener it would throw.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
