import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; absent: in memory, gone at stop(). */
  readonly dataDir?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. Nothing here authenticates clients: never bind a public address. */
  readonly host?: string;
  /**
   * Concurrent client connections (default 32). pglite-socket's own default is 1 and it drops any
   * second connection, which a `pg` Pool opens at once. Keep pool sizes below this.
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
  /** Closes client connections, the socket and the database (flushing an on-disk data dir). */
  stop(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 32;

/**
 * Starts PGlite behind pglite-socket on loopback.
 *
 * PGlite is ONE PostgreSQL backend session; pglite-socket multiplexes every client connection onto
 * it. What that changes for code written against a real server (see README.md):
 * - an open transaction on one connection holds every other connection's statements until it ends
 *   (so code that waits on connection B while A is inside BEGIN deadlocks);
 * - session state leaks between connections: SET, temp tables, named prepared statements;
 * - advisory locks and row locks exclude nothing between connections (same session);
 * - LISTEN/NOTIFY reaches only the connection that listens on the session, not the others.
 * `pg_current_xact_id()`, `pg_snapshot_xmin(pg_current_snapshot())`, `xid8` columns and
 * `FOR UPDATE SKIP LOCKED` work, but with one session nothing is ever concurrently in flight.
 *
 * PGlite runs in a worker thread. Its WebAssembly executes each statement synchronously, so on the
 * main thread a slow query would stall the service's HTTP and NATS traffic; and its CommonJS build
 * loads Node built-ins with dynamic import(), which Jest's module sandbox rejects.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const started = Date.now();
  const host = options.host ?? '127.0.0.1';
  const base = {
    dataDir: options.dataDir,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  };

  let running: RunningWorker;
  let startedFrom: EmbeddedPostgres['startedFrom'];
  const templateFile = options.templateCacheDir === false ? undefined : templatePath(options.templateCacheDir);
  if (options.dataDir !== undefined && existsSync(join(options.dataDir, 'PG_VERSION'))) {
    running = await startWorker({ ...base, template: undefined, dumpTemplate: false });
    startedFrom = 'existing';
  } else {
    let fromTemplate: RunningWorker | undefined;
    if (templateFile && existsSync(templateFile)) {
      try {
        fromTemplate = await startWorker({ ...base, template: readFileSync(templateFile), dumpTemplate: false });
      } catch {
        // A template from another PGlite build, or a damaged file: initdb instead, and replace it.
        rmSync(templateFile, { force: true });
        if (options.dataDir !== undefined) rmSync(options.dataDir, { recursive: true, force: true });
      }
    }
    if (fromTemplate) {
      running = fromTemplate;
      startedFrom = 'template';
    } else {
      running = await startWorker({ ...base, template: undefined, dumpTemplate: templateFile !== undefined });
      startedFrom = 'initdb';
      if (templateFile && running.template) saveTemplate(running.template, templateFile);
    }
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:postgres@${host.includes(':') ? `[${host}]` : host}:${running.port}/postgres`,
    port: running.port,
    startedFrom,
    startupMs: Date.now() - started,
    stop() {
      stopped ??= running.stop();
      return stopped;
    },
  };
}

interface WorkerInit {
  readonly dataDir: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  /** A gzipped data dir to start from instead of initdb. */
  readonly template: Uint8Array | undefined;
  /** Send back a dump of the fresh cluster, taken before anyone connects. */
  readonly dumpTemplate: boolean;
}

interface RunningWorker {
  readonly port: number;
  readonly template: Uint8Array | undefined;
  stop(): Promise<void>;
}

type FromWorker =
  | { type: 'ready'; port: number; template?: Uint8Array }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

// Plain CommonJS, evaluated in the worker: a real Node context where PGlite's dynamic import() works.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
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
    // maxConnections: the default of 1 drops a second client connection.
    const server = new PGLiteSocketServer({ db, host: init.host, port: init.port, maxConnections: init.maxConnections });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    parentPort.once('message', async () => {
      await server.stop();
      // stop() detaches handlers without awaiting them, and one inside a transaction still sends
      // ROLLBACK: let that run before the database closes.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await db.close();
      parentPort.postMessage({ type: 'stopped' });
    });
    parentPort.postMessage({ type: 'ready', port, template }, template ? [template.buffer] : []);
  } catch (error) {
    try { if (db) await db.close(); } catch {}
    parentPort.postMessage({ type: 'error', message: String((error && error.stack) || error) });
  }
})();
`;

async function startWorker(init: WorkerInit): Promise<RunningWorker> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      init,
      // Resolved here, where the caller's module resolution applies (the 'require' export: the CJS build).
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
    },
  });
  const ready = await new Promise<{ port: number; template?: Uint8Array }>((resolve, reject) => {
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
  // Without a listener a failure in the worker would be thrown in the caller's process; clients see
  // their connections drop, and this says why.
  worker.on('error', (error) => process.emitWarning(`Embedded PostgreSQL worker failed: ${String(error)}`));

  return {
    port: ready.port,
    template: ready.template,
    async stop() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'stopped') resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'stop' });
      await closed;
      await worker.terminate();
    },
  };
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
