import type { ExpectedRevision } from './types';

/** A stale expected revision: nothing was written. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    /** The stream's last revision, or 'no_stream'. */
    readonly actualRevision: bigint | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expectedRevision)}, actual ${String(actualRevision)}`);
  }
}

/** The idempotency key was used before for different events: nothing was written. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used for a different request`);
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
  }
}

/** The event or stream is not acceptable (bad name, empty append, oversize, non-JSON data). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

/**
 * Another transaction appended to the stream with a higher transaction id first; appending now
 * would put this stream's events out of order in the global log. Retry the transaction.
 */
export class TransactionOrderConflictError extends Error {
  override readonly name = 'TransactionOrderConflictError';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName}: a later transaction appended first; retry`);
  }
}
