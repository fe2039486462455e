import { jetstreamManager, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import { createInbox, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { EventPublisher, OutgoingMessage, PublishAck, StoredMessage, StreamState } from '../bus/event-bus';

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

export interface JetStreamPublisherOptions {
  readonly stream: string;
  /** How long a batch may wait without any ack arriving (default 5 s). */
  readonly ackTimeoutMs?: number;
  /** Publishes awaiting their ack at a time (default 1024). */
  readonly maxInFlight?: number;
}

interface PendingBatch {
  readonly acks: (PublishAck | undefined)[];
  readonly base: number;
  received: number;
  resolve(acks: PublishAck[]): void;
  reject(error: Error): void;
  /** Called when an ack arrives, to send the next message of the window. */
  onProgress(): void;
}

/**
 * A JetStream publishing session over a connection of its own, opened with `reconnect: false`.
 * Publishes are plain PUBs with a reply subject under one inbox subscription, so hundreds are in
 * flight without a request object and timer each (≈3× the throughput of `js.publish` here).
 * Without reconnects the client never re-sends its buffer on a new connection: after a broken
 * connection the broker holds a prefix of what was sent, in order, and the caller starts over.
 */
export class JetStreamPublisher implements EventPublisher {
  readonly stream: string;
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly ackTimeoutMs: number;
  private readonly maxInFlight: number;
  private nextId = 0;
  private batch: PendingBatch | undefined;
  private closedFlag = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    options: JetStreamPublisherOptions,
  ) {
    this.stream = options.stream;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.maxInFlight = options.maxInFlight ?? 1024;
    this.inbox = createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (error, msg) => this.onAck(error, msg) });
    void nc.closed().then((error) => {
      this.closedFlag = true;
      this.failBatch(new PublishError(`NATS connection closed${error ? `: ${error.message}` : ''}`));
    });
  }

  /** `nc` must have been opened with `reconnect: false`; the session owns and closes it. */
  static async open(nc: NatsConnection, options: JetStreamPublisherOptions): Promise<JetStreamPublisher> {
    try {
      const jsm = await jetstreamManager(nc, { checkAPI: false });
      return new JetStreamPublisher(nc, jsm, options);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.closedFlag || this.nc.isClosed();
  }

  publishBatch(messages: readonly OutgoingMessage[]): Promise<PublishAck[]> {
    if (this.isClosed) return Promise.reject(new PublishError('Publisher is closed'));
    if (this.batch) return Promise.reject(new PublishError('A batch is already in flight'));
    if (messages.length === 0) return Promise.resolve([]);
    return new Promise<PublishAck[]>((resolve, reject) => {
      const base = this.nextId;
      this.nextId += messages.length;
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const armTimer = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => this.failBatch(new PublishError(`No JetStream ack within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs);
      };
      const settle = (): void => {
        clearTimeout(timer);
        this.batch = undefined;
      };
      const sendMore = (): void => {
        const limit = Math.min(messages.length, batch.received + this.maxInFlight);
        try {
          for (; sent < limit; sent++) {
            const message = messages[sent] as OutgoingMessage;
            this.nc.publish(message.subject, message.data, { reply: `${this.inbox}.${base + sent}`, headers: toNatsHeaders(message) });
          }
        } catch (error) {
          this.failBatch(error instanceof Error ? error : new PublishError(String(error)));
        }
      };
      const batch: PendingBatch = {
        acks: new Array<PublishAck | undefined>(messages.length),
        base,
        received: 0,
        resolve: (acks) => {
          settle();
          resolve(acks);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: () => {
          armTimer();
          sendMore();
        },
      };
      this.batch = batch;
      armTimer();
      sendMore();
    });
  }

  async streamState(): Promise<StreamState> {
    const info = await this.jsm.streams.info(this.stream);
    return { firstSeq: info.state.first_seq, lastSeq: info.state.last_seq, messages: info.state.messages };
  }

  async getMessage(seq: number): Promise<StoredMessage | null> {
    return toStored(await this.jsm.streams.getMessage(this.stream, { seq }));
  }

  async lastMessage(subjectFilter: string): Promise<StoredMessage | null> {
    return toStored(await this.jsm.streams.getMessage(this.stream, { last_by_subj: subjectFilter }));
  }

  async close(): Promise<void> {
    this.closedFlag = true;
    this.failBatch(new PublishError('Publisher closed'));
    this.subscription.unsubscribe();
    await this.nc.close().catch(() => undefined);
  }

  private onAck(error: Error | null, msg: Msg): void {
    const batch = this.batch;
    if (!batch) return; // a late ack of a batch that already failed
    if (error) return this.failBatch(new PublishError(`Ack subscription failed: ${error.message}`));
    const id = Number(msg.subject.slice(this.inbox.length + 1));
    const index = id - batch.base;
    if (!Number.isInteger(index) || index < 0 || index >= batch.acks.length || batch.acks[index]) return;
    let ack: PublishAck;
    try {
      ack = parseAck(msg, this.stream);
    } catch (failure) {
      return this.failBatch(failure as Error);
    }
    batch.acks[index] = ack;
    batch.received++;
    if (batch.received === batch.acks.length) batch.resolve(batch.acks as PublishAck[]);
    else batch.onProgress();
  }

  private failBatch(error: Error): void {
    this.batch?.reject(error);
  }
}

function toNatsHeaders(message: OutgoingMessage): MsgHdrs {
  const h = natsHeaders();
  for (const [key, value] of Object.entries(message.headers)) h.set(key, value);
  h.set('Nats-Msg-Id', message.msgId);
  return h;
}

function parseAck(msg: Msg, stream: string): PublishAck {
  if (msg.data.length === 0 && msg.headers?.code === 503) {
    throw new PublishError(`No JetStream stream captures subject (503 no responders)`);
  }
  let body: { stream?: string; seq?: number; duplicate?: boolean; error?: { code?: number; err_code?: number; description?: string } };
  try {
    body = msg.json();
  } catch {
    throw new PublishError(`Unreadable JetStream ack: ${msg.string().slice(0, 200)}`);
  }
  if (body.error) throw new PublishError(`JetStream refused the message: ${body.error.description ?? 'unknown'} (${body.error.err_code ?? body.error.code})`);
  if (typeof body.seq !== 'number') throw new PublishError(`JetStream ack without a sequence: ${msg.string().slice(0, 200)}`);
  if (body.stream !== stream) throw new PublishError(`Message stored in stream ${body.stream}, expected ${stream}: check the streams' subjects`);
  return { seq: body.seq, duplicate: body.duplicate === true };
}

function toStored(msg: StoredMsg | null): StoredMessage | null {
  if (!msg) return null;
  const headers: Record<string, string> = {};
  if (msg.header) for (const key of msg.header.keys()) headers[key] = msg.header.get(key);
  return { seq: msg.seq, subject: msg.subject, headers, data: msg.data };
}
