import * as crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { InvalidAppendError } from './errors';
import type { EventData, EventMetadata, EventPayload } from './types';

/** Builds an event to append, with a time-ordered UUID v7 id (like the KurrentDB client's `jsonEvent`). */
export function jsonEvent<TType extends string, TData extends EventPayload>(event: {
  readonly type: TType;
  readonly data: TData;
  readonly schemaVersion?: number;
  readonly metadata?: EventMetadata;
  readonly id?: string;
}): Required<EventData<TType, TData>> {
  return {
    id: event.id ?? uuidv7(),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata: event.metadata ?? {},
  };
}

const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,199}$/;
// Event types become a NATS subject token (ADR 0004): no dots, wildcards or spaces.
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
/** Data plus metadata of one event, as JSON. Well under NATS's 1 MiB payload; files go elsewhere. */
export const MAX_EVENT_BYTES = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event ready to store: defaults filled, data and metadata serialised once (the text stored),
 * and its content hash over id, stream, type, schema version, data and metadata, which the store
 * chains per stream (ADR 0007).
 */
export type NormalizedEvent = Required<EventData> & { readonly dataJson: string; readonly metadataJson: string; readonly contentHash: Buffer };

/** Over the stored bytes: the data and metadata JSON texts exactly as stored (a `json` column keeps them). */
export function contentHashOf(id: string, streamName: string, type: string, schemaVersion: number, dataJson: string, metadataJson: string): Buffer {
  // The unit separator cannot occur in ids, stream names or types, and JSON escapes it.
  return sha256(`${id}\u001f${streamName}\u001f${type}\u001f${schemaVersion}\u001f${dataJson}\u001f${metadataJson}`);
}

// The one-shot `crypto.hash` (Node ≥ 20.12) is about a third cheaper than a Hash object: this runs per event.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
function sha256(text: string): Buffer {
  return oneShotHash ? oneShotHash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();
}

/** Rejects what the store must never hold, before any I/O. */
export function normalizeAppend(streamName: string, input: EventData | readonly EventData[]): NormalizedEvent[] {
  if (!STREAM_NAME.test(streamName)) throw new InvalidAppendError(`Invalid stream name: ${JSON.stringify(streamName).slice(0, 60)}`);
  const events = (Array.isArray(input) ? input : [input]) as readonly EventData[];
  if (events.length === 0) throw new InvalidAppendError('An append needs at least one event');
  return events.map((event) => {
    if (!EVENT_TYPE.test(event.type)) throw new InvalidAppendError(`Invalid event type: ${JSON.stringify(event.type).slice(0, 60)}`);
    if (event.id !== undefined && !UUID.test(event.id)) throw new InvalidAppendError(`Invalid event id: ${event.id}`);
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) throw new InvalidAppendError(`Invalid schema version for ${event.type}: ${schemaVersion}`);
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidAppendError(`Event ${event.type}: data must be a JSON object`);
    }
    const metadata = event.metadata ?? {};
    const dataJson = JSON.stringify(event.data);
    const metadataJson = JSON.stringify(metadata);
    // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only when the text might be too long.
    if ((dataJson.length + metadataJson.length) * 3 > MAX_EVENT_BYTES) {
      const size = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
      if (size > MAX_EVENT_BYTES) throw new InvalidAppendError(`Event ${event.type} is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
    }
    const id = event.id ?? uuidv7();
    const hash = contentHashOf(id, streamName, event.type, schemaVersion, dataJson, metadataJson);
    return { id, type: event.type, schemaVersion, data: event.data, metadata, dataJson, metadataJson, contentHash: hash };
  });
}
