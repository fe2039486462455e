/** One dependency the service needs to serve requests (its database, its transport). */
export interface ReadinessIndicator {
  /** The key in the `/health/ready` answer, e.g. `database`, `transport`. */
  readonly key: string;
  /**
   * False: the service takes commands without it (NATS: the relay catches up, ADR 0001). It is
   * reported in the answer's details and in `haidang_dependency_up`, but does not fail readiness,
   * so Kubernetes keeps routing requests the service can serve. Default true.
   */
  readonly required?: boolean;
  /** Resolves true when the dependency answers; false or a rejection means down. */
  isUp(): Promise<boolean>;
}

/** Anything with `query(sql)`: a `pg` Pool or Client (no import of pg needed here). */
export interface Pingable {
  query(sql: string): Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/** `SELECT 1` on the pool; a probe must not hang when the database does, hence the timeout. */
export function postgresReadiness(pool: Pingable, options: { key?: string; timeoutMs?: number } = {}): ReadinessIndicator {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    key: options.key ?? 'database',
    isUp: () =>
      withTimeout(
        pool.query('SELECT 1').then(() => true),
        timeoutMs,
      ),
  };
}

/** The transport (NATS or in-process) as its owner reports it, e.g. `() => connection.isClosed().then(…)`. */
export function transportReadiness(isUp: () => Promise<boolean>, options: { key?: string; timeoutMs?: number; required?: boolean } = {}): ReadinessIndicator {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    key: options.key ?? 'transport',
    isUp: () => withTimeout(isUp(), timeoutMs),
    ...(options.required === undefined ? {} : { required: options.required }),
  };
}

/** False when the check rejects or outlasts its budget. */
export async function checkIndicator(indicator: ReadinessIndicator): Promise<boolean> {
  try {
    return (await indicator.isUp()) === true;
  } catch {
    return false;
  }
}

function withTimeout(promise: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
