import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { findNatsServer } from './binaries';
import { freePort } from './free-port';
import { hasExited, makeServerDir, removeDir, signalAndWait, spawnServer, startReaper, tailLog } from './server-process';

export interface NatsServerOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Use exactly this nats-server binary (default: NATS_SERVER_BIN, PATH, /usr/sbin). */
  readonly binary?: string;
  /** JetStream store directory (default: in a temp dir removed by destroy()). */
  readonly storeDir?: string;
  /** Extra nats-server arguments. */
  readonly args?: readonly string[];
  /** Per start/restart (default 15 s). */
  readonly startTimeoutMs?: number;
}

/** A throwaway nats-server with JetStream on loopback. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`; the same after a restart. */
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** SIGTERM (graceful), waits for exit. */
  stop(): Promise<void>;
  /** SIGKILL, waits for exit: a broker crash. */
  kill(): Promise<void>;
  /** Stops it if running, then starts it again on the same port with the same store dir. */
  restart(): Promise<void>;
  /** Stops it and deletes its temp dir (a caller-given storeDir is left alone). */
  destroy(): Promise<void>;
}

const BIND_FAILURE = /address already in use|error listening/i;

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = findNatsServer(options.binary === undefined ? {} : { binary: options.binary });
  const dir = makeServerDir('haidang-nats-');
  const reaper = startReaper(dir, { removeDir: true });
  const storeDir = options.storeDir ?? join(dir, 'jetstream');
  mkdirSync(storeDir, { recursive: true });
  const logFile = join(dir, 'nats.log');
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;

  let child: ChildProcess | undefined;
  let port = options.port ?? 0;

  const startOnce = async (): Promise<void> => {
    // -P puts our dir on the command line, which is how the reaper recognises this process.
    const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '-P', join(dir, 'nats.pid'), ...(options.args ?? [])];
    const started = spawnServer(binary, args, { cwd: dir, logFile });
    child = started;
    reaper.watch(started.pid);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (hasExited(started)) {
        const log = tailLog(logFile);
        const error = new Error(`nats-server on port ${port} exited during start-up:\n${log}`);
        (error as Error & { bindFailure?: boolean }).bindFailure = BIND_FAILURE.test(log);
        throw error;
      }
      if (await servesJetStream(port)) return;
      if (Date.now() > deadline) {
        await signalAndWait(started, 'SIGKILL', 5_000);
        throw new Error(`nats-server on port ${port} not ready within ${startTimeoutMs} ms:\n${tailLog(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  try {
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
    if (child) await signalAndWait(child, signal, 15_000);
  };

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGTERM');
      await startOnce();
    },
    async destroy() {
      await stopWith('SIGTERM');
      reaper.release();
      removeDir(dir);
    },
  };
}

/**
 * True once the server greets a client with an INFO line that announces JetStream. The client
 * listener opens after JetStream has recovered its streams, so a restarted server is usable then.
 */
async function servesJetStream(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    let received = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n');
      if (end === -1) return;
      const line = received.slice(0, end);
      if (!line.startsWith('INFO ')) return finish(false);
      try {
        finish((JSON.parse(line.slice(5)) as { jetstream?: boolean }).jetstream === true);
      } catch {
        finish(false);
      }
    });
  });
}
