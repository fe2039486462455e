import { formatPosition, parsePosition, type EventMetadata, type EventPayload, type RecordedEvent } from '@haidang/event-store';

/** Header names on every relayed event. The payload holds the whole event; headers let tools and filters skip decoding it. */
export const EventHeaders = {
  /** JetStream de-duplicates on it: the event id. */
  MsgId: 'Nats-Msg-Id',
  EventType: 'Hd-Event-Type',
  SchemaVersion: 'Hd-Schema-Version',
  /** `commit:prepare` (see `formatPosition`): the relay finds where to resume from it. */
  Position: 'Hd-Position',
  StreamId: 'Hd-Stream',
  CorrelationId: 'X-Correlation-Id',
  CausationId: 'X-Causation-Id',
} as const;

/** The JSON wire form: bigints and the position as strings, the time as ISO 8601. */
interface WireEvent {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  revision: string;
  position: string;
  created: string;
  data: EventPayload;
  metadata: EventMetadata;
}

export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEvent(event: RecordedEvent): Uint8Array {
  const wire: WireEvent = {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    revision: event.revision.toString(),
    position: formatPosition(event.position),
    created: event.created.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
  return encoder.encode(JSON.stringify(wire));
}

export function decodeEvent(payload: Uint8Array): RecordedEvent {
  let wire: Partial<WireEvent>;
  try {
    wire = JSON.parse(decoder.decode(payload)) as Partial<WireEvent>;
  } catch (error) {
    throw new EventDecodeError(`Payload is not JSON: ${(error as Error).message}`);
  }
  if (
    wire === null ||
    typeof wire !== 'object' ||
    typeof wire.id !== 'string' ||
    typeof wire.type !== 'string' ||
    typeof wire.schemaVersion !== 'number' ||
    typeof wire.streamId !== 'string' ||
    typeof wire.revision !== 'string' ||
    !/^\d+$/.test(wire.revision) ||
    typeof wire.position !== 'string' ||
    typeof wire.created !== 'string' ||
    wire.data === null ||
    typeof wire.data !== 'object'
  ) {
    throw new EventDecodeError('Payload is not a recorded event');
  }
  const created = new Date(wire.created);
  if (Number.isNaN(created.getTime())) throw new EventDecodeError(`Invalid created time: ${wire.created}`);
  let position;
  try {
    position = parsePosition(wire.position);
  } catch (error) {
    throw new EventDecodeError((error as Error).message);
  }
  return {
    id: wire.id,
    type: wire.type,
    schemaVersion: wire.schemaVersion,
    streamId: wire.streamId,
    revision: BigInt(wire.revision),
    position,
    created,
    data: wire.data,
    metadata: wire.metadata && typeof wire.metadata === 'object' ? wire.metadata : {},
  };
}

/** The headers the relay puts on an event (the msg id included, so a bus without a msg-id option sees it too). */
export function eventHeaders(event: RecordedEvent): Record<string, string> {
  const headers: Record<string, string> = {
    [EventHeaders.MsgId]: event.id,
    [EventHeaders.EventType]: event.type,
    [EventHeaders.SchemaVersion]: String(event.schemaVersion),
    [EventHeaders.Position]: formatPosition(event.position),
    [EventHeaders.StreamId]: event.streamId,
  };
  const { correlationId, causationId } = event.metadata;
  if (isSafeHeaderValue(correlationId)) headers[EventHeaders.CorrelationId] = correlationId;
  if (isSafeHeaderValue(causationId)) headers[EventHeaders.CausationId] = causationId;
  // The trace the event was appended in (W3C trace context), for consumers outside this platform too.
  const { traceparent, tracestate } = event.metadata;
  if (isSafeHeaderValue(traceparent)) headers['traceparent'] = traceparent;
  if (isSafeHeaderValue(tracestate)) headers['tracestate'] = tracestate;
  return headers;
}

/**
 * Metadata is whatever a client sent: a CR/LF would make NATS refuse the header (and with it the
 * whole publish, stalling the relay), so such a value is left to the payload, which carries it anyway.
 */
export function isSafeHeaderValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 && !/[\r\n]/.test(value) && value.trim() === value;
}
