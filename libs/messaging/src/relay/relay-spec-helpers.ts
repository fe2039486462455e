/**
 * Shared by the relay specs (not exported from the lib): writing events and reading back what a
 * JetStream stream holds.
 */
import { randomUUID } from 'node:crypto';
import { comparePositions, jsonEvent, parsePosition, untilReadable, type Position, type PostgresEventStore, type RecordedEvent } from '@haidang/event-store';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EventHeaders } from '../event-codec';

export interface StreamMessage {
  readonly seq: number;
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

/** Appends `count` events from `writers` concurrent writers, a few events per append, to many streams. */
export async function appendEvents(store: PostgresEventStore, count: number, options: { writers?: number; perAppend?: number } = {}): Promise<void> {
  const writers = options.writers ?? 4;
  const perAppend = options.perAppend ?? 3;
  let remaining = count;
  let last: Position | undefined;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (remaining > 0) {
        const n = Math.min(perAppend, remaining);
        remaining -= n;
        const aggregate = w % 2 === 0 ? 'RehabCase' : 'Person';
        const events = Array.from({ length: n }, (_e, i) =>
          jsonEvent({
            type: i === 0 ? `${aggregate}Opened` : 'NoteAdded',
            data: { writer: w, i },
            metadata: { actor: 'user-1', agency: '22-DOLISA', correlationId: randomUUID(), causationId: randomUUID(), commandId: randomUUID() },
          }),
        );
        const { position } = await store.appendToStream(`${aggregate}-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
        if (last === undefined || comparePositions(position, last) > 0) last = position;
      }
    }),
  );
  // So that the caller's next read of the log holds all of them (another test's open transaction could hide the tail).
  if (last !== undefined) await untilReadable(store, last);
}

export async function readAllEvents(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

/** Every message the stream holds, in sequence order. */
export async function readStreamMessages(url: string, stream: string): Promise<StreamMessage[]> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const messages: StreamMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq });
      if (!msg) continue;
      const headers: Record<string, string> = {};
      for (const key of msg.header?.keys() ?? []) headers[key] = msg.header.get(key);
      messages.push({ seq: msg.seq, subject: msg.subject, headers, payload: msg.string() });
    }
    return messages;
  } finally {
    await nc.close();
  }
}

export async function streamMessageCount(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

/**
 * The invariant: the stream holds every event of the store exactly once, in the store's log order.
 * Returns a description of the first violation, or undefined.
 */
export function violationOfExactlyOnceInOrder(events: readonly RecordedEvent[], messages: readonly StreamMessage[]): string | undefined {
  const ids = messages.map((m) => m.headers[EventHeaders.MsgId]);
  if (new Set(ids).size !== ids.length) return `duplicates: ${ids.length - new Set(ids).size}`;
  if (messages.length !== events.length) return `stream holds ${messages.length} messages, store ${events.length} events`;
  for (let i = 0; i < events.length; i++) {
    if (ids[i] !== events[i]?.id) return `message ${i} is ${ids[i]}, expected ${events[i]?.id}`;
    if (i > 0) {
      const previous = parsePosition(messages[i - 1]?.headers[EventHeaders.Position] ?? '');
      const current = parsePosition(messages[i]?.headers[EventHeaders.Position] ?? '');
      if (comparePositions(previous, current) >= 0) return `positions out of order at ${i}`;
    }
  }
  return undefined;
}
