/**
 * Errors that say nothing about the event being applied: the connection or the server failed, or
 * the transaction lost a race. The runner retries these for as long as it takes (the lag metric
 * shows the stall) and never dead-letters an event for them: a database outage must not push
 * every event of the outage into the dead letters.
 */
export function isTransientError(error: unknown): boolean {
  for (const e of causes(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || code.startsWith('53') || NETWORK_CODES.has(code))) return true;
    if (e.name === 'QueryRunnerAlreadyReleasedError') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (TRANSIENT_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}

const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout, cancel request): load, not the event
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '58000', // system_error
  '58030', // io_error
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// node-postgres reports a dropped connection by message only.
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'terminating connection',
];

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly driverError?: unknown;
}

/** The error, TypeORM's wrapped driver error and every `cause`, without looping on cycles. */
function* causes(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const like = e as ErrorLike;
    yield like;
    queue.push(like.driverError, like.cause);
  }
}

/** Thrown into a source's delivery when the runner is stopping, so the source stops too. */
export class ProjectionStoppedError extends Error {
  override readonly name = 'ProjectionStoppedError';
  constructor(key: string) {
    super(`Projection ${key} is stopping`);
  }
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > 8000 ? `${text.slice(0, 8000)}…` : text;
}
