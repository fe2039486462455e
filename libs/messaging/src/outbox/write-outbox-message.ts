import { traceHeaders } from '@haidang/telemetry';
import { formatPosition, START, type EventPayload, type Position } from '@haidang/event-store';
import { encodeEvent, EventHeaders, isSafeHeaderValue } from '../event-codec';
import { integrationEventType, integrationSubject } from './integration-subjects';

/**
 * Anything that runs a parameterised query: a pg `Client` or `Pool` (resolves to a result with
 * `rows`) or a TypeORM `EntityManager` / `QueryRunner` (resolves to the rows themselves). Pass the
 * one bound to the transaction the message must commit or roll back with.
 */
export interface OutboxQueryable {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export interface OutboxMessage {
  /**
   * UUID; the message id (`Nats-Msg-Id`) and the row's key. Derive it from what the message was
   * computed from (e.g. the domain event id, or a v5 UUID of it and the event name), so a handler
   * that runs again writes the same id and nothing new.
   */
  readonly id: string;
  /** The publishing service: `cases`. */
  readonly service: string;
  /** `RehabCompleted`: with service and version it names the subject and the contract type. */
  readonly eventName: string;
  readonly version: number;
  /** The integration event itself (a JSON object, no personal data). */
  readonly data: EventPayload;
  /**
   * Orders publication (with insertion order as the tie-breaker): the global position of the
   * domain event it came from. Without it, messages go out in insertion order.
   */
  readonly sourcePosition?: Position;
  /** The stream of the domain event it came from (`RehabCase-<uuid>`); default the service. */
  readonly sourceStreamId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Extra NATS headers. Names are tokens; values one line, at most 256 characters. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `int`; tests pass their own (`t1a2b.int`, see `integrationPrefixFor`). */
  readonly subjectPrefix?: string;
  /** The envelope's `created` (default now). */
  readonly occurredAt?: Date;
}

export interface OutboxWriteResult {
  /** False when a message with this id was already there (a redelivered batch): nothing was written. */
  readonly inserted: boolean;
  readonly subject: string;
}

/** A message that cannot be recorded as given: a defect of the writer, never of a client's input. */
export class OutboxMessageError extends Error {
  override readonly name = 'OutboxMessageError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
/** Set by the writer from the message; a caller's header must not contradict them. */
const RESERVED_HEADERS = new Set(
  [
    EventHeaders.MsgId,
    EventHeaders.EventType,
    EventHeaders.SchemaVersion,
    EventHeaders.StreamId,
    EventHeaders.Position,
    EventHeaders.CorrelationId,
    EventHeaders.CausationId,
  ].map((h) => h.toLowerCase()),
);

// The ledger keeps every id ever written, after the outbox row itself is pruned: a message written
// again later (a projection rebuilt from position 0) is recognised and not sent a second time.
const INSERT = `WITH recorded AS (
    INSERT INTO messaging_outbox_ledger (id, service) VALUES ($1::uuid, $2)
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  INSERT INTO messaging_outbox (id, service, subject, payload, headers, source_commit, source_prepare)
  SELECT $1::uuid, $2, $3, $4::bytea, $5::jsonb, $6::numeric, $7::numeric FROM recorded
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

/**
 * Records one integration event in the outbox, in the caller's transaction: it is published only
 * if that transaction commits, and a second write of the same id is a no-op, also long after the
 * row was published and pruned (the id stays in `messaging_outbox_ledger`). The payload is the
 * lib's event envelope (as the relay publishes domain events), with `type` = the contract type
 * (`cases.RehabCompleted.v1`) and `data` = the integration event, so `EventBus.consume` handlers
 * receive it as a `RecordedEvent`.
 */
export async function writeOutboxMessage(db: OutboxQueryable, message: OutboxMessage): Promise<OutboxWriteResult> {
  const prepared = prepareOutboxMessage(message);
  const result = await db.query(INSERT, prepared.params);
  return { inserted: returnedRows(result) > 0, subject: prepared.subject };
}

interface PreparedMessage {
  readonly subject: string;
  readonly params: unknown[];
}

/** Validates and encodes; throws `OutboxMessageError` (or `InvalidSubjectError`) before any query. */
function prepareOutboxMessage(message: OutboxMessage): PreparedMessage {
  if (typeof message.id !== 'string' || !UUID.test(message.id)) throw new OutboxMessageError('Outbox message id must be a UUID');
  const subject = integrationSubject(
    message.service,
    message.eventName,
    message.version,
    message.subjectPrefix === undefined ? {} : { prefix: message.subjectPrefix },
  );
  const type = integrationEventType(message.service, message.eventName, message.version);
  if (message.data === null || typeof message.data !== 'object' || Array.isArray(message.data)) {
    throw new OutboxMessageError(`Outbox message ${message.id}: data must be a JSON object`);
  }
  const streamId = message.sourceStreamId ?? message.service;
  if (!isSafeHeaderValue(streamId)) throw new OutboxMessageError(`Outbox message ${message.id}: sourceStreamId is not a one-line value`);
  const position = message.sourcePosition ?? START;
  if (position.commit < 0n || position.prepare < 0n) throw new OutboxMessageError(`Outbox message ${message.id}: sourcePosition must not be negative`);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()))
      throw new OutboxMessageError(`Outbox message ${message.id}: header ${JSON.stringify(name).slice(0, 80)} is not allowed`);
    if (!isSafeHeaderValue(value))
      throw new OutboxMessageError(`Outbox message ${message.id}: header ${name} is not a one-line value of at most 256 characters`);
    headers[name] = value;
  }
  headers[EventHeaders.EventType] = type;
  headers[EventHeaders.SchemaVersion] = String(message.version);
  headers[EventHeaders.StreamId] = streamId;
  if (message.sourcePosition) headers[EventHeaders.Position] = formatPosition(message.sourcePosition);
  const metadata: Record<string, string> = {};
  for (const [key, header, value] of [
    ['correlationId', EventHeaders.CorrelationId, message.correlationId],
    ['causationId', EventHeaders.CausationId, message.causationId],
  ] as const) {
    if (value === undefined) continue;
    if (!isSafeHeaderValue(value)) {
      throw new OutboxMessageError(`Outbox message ${message.id}: ${key} is not a one-line value of at most 256 characters`);
    }
    metadata[key] = value;
    headers[header] = value;
  }

  // The trace of the event being handled goes on with the message (W3C `traceparent`: ids only).
  for (const [name, value] of Object.entries(traceHeaders())) {
    if (!isSafeHeaderValue(value)) continue;
    metadata[name] = value;
    headers[name] = value;
  }

  let payload: Uint8Array;
  try {
    payload = encodeEvent({
      id: message.id,
      type,
      schemaVersion: message.version,
      streamId,
      revision: 0n,
      position,
      created: message.occurredAt ?? new Date(),
      data: message.data,
      metadata,
    });
  } catch (error) {
    throw new OutboxMessageError(`Outbox message ${message.id}: data is not JSON-serialisable (${(error as Error).message})`);
  }
  return {
    subject,
    params: [message.id, message.service, subject, Buffer.from(payload), JSON.stringify(headers), position.commit.toString(), position.prepare.toString()],
  };
}

/** pg resolves to `{ rows }`, TypeORM's `query` to the rows array. */
function returnedRows(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  if (result !== null && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) return (result as { rows: unknown[] }).rows.length;
  return 0;
}
