import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type SessionBackend, startWireServer, type WireServer } from './wire/wire-server';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; absent: in memory, gone at stop(). */
  readonly dataDir?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. Nothing here authenticates clients: never bind a public address. */
  readonly host?: string;
  /**
   * Concurrent client connections (default 32); one more is refused with "sorry, too many clients
   * already". Keep pool sizes below this.
   */
  readonly maxConnections?: number;
  /**
   * Directory for the prepared-cluster tarball that makes a first start fast (default: `.haidang/`
   * at the repository root, found from the working directory; else the OS temp dir). false: always
   * run initdb.
   */
  readonly templateCacheDir?: string | false;
}

/** A PGlite cluster served over the PostgreSQL wire protocol, so plain `pg` code can use it. */
export interface EmbeddedPostgres {
  /** `postgres://postgres:postgres@127.0.0.1:<port>/postgres` (the password is not checked). */
  readonly url: string;
  readonly port: number;
  /** How the cluster came to be: a fresh initdb, unpacked from the template, or an existing data dir. */
  readonly startedFrom: 'initdb' | 'template' | 'existing';
  /** Time from the call to accepting connections. */
  readonly startupMs: number;
  /**
   * Closes client connections (rolling back what each left open), the socket and the database
   * (flushing an on-disk data dir).
   */
  stop(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 32;

/**
 * Starts PGlite and serves it on loopback over the PostgreSQL wire protocol.
 *
 * PGlite is ONE PostgreSQL backend session; every client connection is multiplexed onto it, one
 * whole cycle at a time (see wire/wire-server.ts). What that changes for code written against a
 * real server (see README.md):
 * - an open transaction on one connection holds every other connection's statements until it ends
 *   (so code that waits on connection B while A is inside BEGIN deadlocks);
 * - session state leaks between connections: SET, temp tables, SQL-level PREPARE;
 * - advisory locks and row locks exclude nothing between connections (same session);
 * - LISTEN/NOTIFY does not carry between connections: a notification goes to the connection that
 *   committed the NOTIFY, not to the one that ran LISTEN;
 * - COPY FROM STDIN ends the session (its data cannot arrive mid-call); every connection then fails.
 * `pg_current_xact_id()`, `pg_snapshot_xmin(pg_current_snapshot())`, `xid8` columns and
 * `FOR UPDATE SKIP LOCKED` work, but with one session nothing is ever concurrently in flight.
 *
 * PGlite runs in a worker thread. Its WebAssembly executes each statement synchronously, so on the
 * main thread a slow query would stall the service's HTTP and NATS traffic; and its CommonJS build
 * loads Node built-ins with dynamic import(), which Jest's module sandbox rejects. The wire server
 * runs on the calling thread and hands the worker only whole batches of protocol messages.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const started = Date.now();
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir;

  let session: WorkerSession;
  let startedFrom: EmbeddedPostgres['startedFrom'];
  const templateFile = options.templateCacheDir === false ? undefined : templatePath(options.templateCacheDir);
  // PGlite creates the data directory itself, but not its parents (a fresh clone has no .haidang/).
  if (dataDir !== undefined) mkdirSync(dirname(dataDir), { recursive: true });
  if (dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'))) {
    session = await startWorker({ dataDir, template: undefined, dumpTemplate: false });
    startedFrom = 'existing';
  } else {
    let fromTemplate: WorkerSession | undefined;
    if (templateFile && existsSync(templateFile)) {
      try {
        fromTemplate = await startWorker({ dataDir, template: readFileSync(templateFile), dumpTemplate: false });
      } catch {
        // A template from another PGlite build, or a damaged file: initdb instead, and replace it.
        rmSync(templateFile, { force: true });
        if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
      }
    }
    if (fromTemplate) {
      session = fromTemplate;
      startedFrom = 'template';
    } else {
      session = await startWorker({ dataDir, template: undefined, dumpTemplate: templateFile !== undefined });
      startedFrom = 'initdb';
      if (templateFile && session.template) saveTemplate(session.template, templateFile);
    }
  }

  let server: WireServer;
  try {
    server = await startWireServer({
      backend: session,
      host,
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    });
  } catch (error) {
    await session.stop();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:postgres@${host.includes(':') ? `[${host}]` : host}:${server.port}/postgres`,
    port: server.port,
    startedFrom,
    startupMs: Date.now() - started,
    stop() {
      // First the clients (what each left open is rolled back on the session), then the database.
      stopped ??= server.close().then(() => session.stop());
      return stopped;
    },
  };
}

interface WorkerInit {
  readonly dataDir: string | undefined;
  /** A gzipped data dir to start from instead of initdb. */
  readonly template: Uint8Array | undefined;
  /** Send back a dump of the fresh cluster, taken before anyone connects. */
  readonly dumpTemplate: boolean;
}

type ToWorker = { type: 'exec'; id: number; bytes: Uint8Array } | { type: 'stop' };

type FromWorker =
  | { type: 'ready'; template?: Uint8Array }
  | { type: 'error'; message: string }
  | { type: 'data'; id: number; bytes: Uint8Array }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string; fatal: boolean }
  | { type: 'stopped' };

// Plain CommonJS, evaluated in the worker: a real Node context where PGlite's dynamic import() works.
// It only runs protocol messages on the session; the wire server (wire/wire-server.ts) decides
// which connection's messages run when.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
(async () => {
  const init = workerData.init;
  let db;
  try {
    const options = {};
    if (init.dataDir !== undefined) options.dataDir = init.dataDir;
    if (init.template !== undefined) options.loadDataDir = new Blob([init.template]);
    db = await PGlite.create(options);
    let template;
    if (init.dumpTemplate) template = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
    // Why the session can no longer run anything, once it cannot.
    let dead;
    parentPort.on('message', async (message) => {
      if (message.type === 'exec') {
        const { id, bytes } = message;
        if (dead) {
          parentPort.postMessage({ type: 'failed', id, message: dead, fatal: true });
          return;
        }
        try {
          await db.runExclusive(() => db.execProtocolRawStream(bytes, {
            onRawData: (chunk) => {
              // A view into PGlite's WebAssembly memory, reused by the next write: copy it out.
              const copy = chunk.slice();
              parentPort.postMessage({ type: 'data', id, bytes: copy }, [copy.buffer]);
            },
          }));
          parentPort.postMessage({ type: 'done', id });
        } catch (error) {
          // SQL errors come back in the reply stream; a throw is PGlite itself failing. When the backend
          // exits (a FATAL error, such as COPY FROM STDIN whose data cannot arrive within the call),
          // every later call spins forever: refuse them. Only a refused start-up packet spares it.
          const text = String((error && (error.stack || error.message)) || error);
          const fatal = !(bytes[0] === 0 && error instanceof Error);
          if (fatal) dead = 'the embedded PostgreSQL session has ended: ' + text;
          parentPort.postMessage({ type: 'failed', id, message: fatal ? dead : text, fatal });
        }
      } else if (message.type === 'stop') {
        try { if (!dead) await db.close(); } catch {}
        parentPort.postMessage({ type: 'stopped' });
      }
    });
    parentPort.postMessage({ type: 'ready', template }, template ? [template.buffer] : []);
  } catch (error) {
    try { if (db) await db.close(); } catch {}
    parentPort.postMessage({ type: 'error', message: String((error && error.stack) || error) });
  }
})();
`;

async function startWorker(init: WorkerInit): Promise<WorkerSession> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      init,
      // Resolved here, where the caller's module resolution applies (the 'require' export: the CJS build).
      pglitePath: require.resolve('@electric-sql/pglite'),
    },
  });
  const ready = await new Promise<{ template?: Uint8Array }>((resolve, reject) => {
    const onMessage = (message: FromWorker): void => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'error') reject(new Error(`Embedded PostgreSQL failed to start: ${message.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Embedded PostgreSQL worker exited (${code}) during start-up`)));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  return new WorkerSession(worker, ready.template);
}

/** The PGlite session in the worker, as the wire server drives it. */
class WorkerSession implements SessionBackend {
  private readonly pending = new Map<number, { onData: (chunk: Uint8Array) => void; resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly worker: Worker,
    /** The fresh cluster's dump, when the worker was asked for one. */
    readonly template: Uint8Array | undefined,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'data':
          this.pending.get(message.id)?.onData(message.bytes);
          break;
        case 'done':
          this.pending.get(message.id)?.resolve();
          this.pending.delete(message.id);
          break;
        case 'failed': {
          const error = new Error(message.message);
          this.pending.get(message.id)?.reject(error);
          this.pending.delete(message.id);
          if (message.fatal && !this.failure) {
            process.emitWarning(`Embedded PostgreSQL: ${message.message}. Every connection fails until it is restarted.`);
            this.abandon(error);
          }
          break;
        }
      }
    });
    // Without a listener a failure in the worker would be thrown in the caller's process; clients see
    // their connections fail, and this says why.
    worker.on('error', (error) => {
      process.emitWarning(`Embedded PostgreSQL worker failed: ${String(error)}`);
      this.abandon(new Error(`Embedded PostgreSQL worker failed: ${String(error)}`));
    });
    worker.on('exit', (code) => this.abandon(new Error(`Embedded PostgreSQL worker exited (${code})`)));
  }

  exec(messages: Uint8Array, onData: (chunk: Uint8Array) => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // Transferred, not copied: the caller hands over a buffer of its own.
    const bytes = messages.byteOffset === 0 && messages.byteLength === messages.buffer.byteLength ? messages : messages.slice();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { onData, resolve, reject });
      this.post({ type: 'exec', id, bytes }, [bytes.buffer as ArrayBuffer]);
    });
  }

  async stop(): Promise<void> {
    if (!this.failure) {
      const stopped = new Promise<void>((resolve) => {
        this.worker.on('message', (message: FromWorker) => {
          if (message.type === 'stopped') resolve();
        });
      });
      this.post({ type: 'stop' });
      await Promise.race([stopped, this.exited]);
    }
    this.abandon(new Error('Embedded PostgreSQL stopped'));
    await this.worker.terminate();
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private abandon(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

function saveTemplate(template: Uint8Array, file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Write then rename: a concurrent first start never reads a half-written template.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, template);
    renameSync(partial, file);
  } catch {
    // Only the next start's speed depends on it.
  }
}

/** The template is only valid for the PGlite build that made it, so its name carries the version. */
function templatePath(cacheDir: string | undefined): string {
  return join(cacheDir ?? defaultCacheDir(), `pglite-template-${pgliteVersion()}.tar.gz`);
}

function pgliteVersion(): string {
  // The package's exports map hides package.json; find it beside the resolved entry point.
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (!existsSync(candidate)) continue;
    const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

/** `.haidang/` at the repository root (the directory holding nx.json), which .gitignore excludes. */
function defaultCacheDir(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, '.haidang');
    const parent = dirname(dir);
    if (parent === dir) return join(tmpdir(), 'haidang');
    dir = parent;
  }
}
