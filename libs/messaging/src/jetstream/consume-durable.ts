import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { DurableConsumer, DurableConsumerOptions } from '../bus/event-bus';
import { deadLetterHeaders, deliveryPolicy, processDelivery, type RawDelivery } from '../bus/process-delivery';
import type { DeadLetter } from '../dead-letters';
import { consoleLogger, errorMessage } from '../logger';
import { isValidSubjectToken } from '../subjects';

export interface ConsumeDurableOptions extends DurableConsumerOptions {
  readonly js: JetStreamClient;
  readonly stream: string;
  /** For the `dlq.<durable>` notice (default: the connection under `js`). */
  readonly nc?: NatsConnection;
  /** Run before each session opens (the bus recreates a lost stream there). */
  readonly beforeSession?: () => Promise<void>;
  /** Told when the durable had to be created again (it was gone: a lost store, an operator's delete). */
  readonly onConsumerRecreated?: (durable: string) => void;
  /** Between attempts to reopen a session that ended (default 1 s). */
  readonly reopenDelayMs?: number;
}

/**
 * A durable pull consumer with explicit acks. The broker's own max_deliver is unlimited: the
 * decision to give up is taken here, after the dead letter is recorded, so the broker can never
 * drop a message on its own. Each message is handled to the end before the next one is taken.
 */
export async function consumeDurable(options: ConsumeDurableOptions): Promise<DurableConsumer> {
  const { js, stream, durable } = options;
  if (!isValidSubjectToken(durable)) throw new Error(`Invalid durable name ${JSON.stringify(durable)}`);
  if (options.filterSubjects.length === 0) throw new Error('consumeDurable needs at least one filter subject');
  const logger = options.logger ?? consoleLogger;
  const nc = options.nc ?? connectionOf(js);
  const announce = async (subject: string, letter: DeadLetter): Promise<void> => {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(deadLetterHeaders(letter))) h.set(key, value);
    h.set('Nats-Msg-Id', `${letter.consumer}:${letter.stream}:${letter.streamSequence}`);
    // A plain publish: a stream that captures dlq.> stores it (de-duplicated by the msg id), core
    // subscribers see it, and nobody listening costs nothing. A JetStream publish would wait for an
    // ack that never comes when only core subscribers listen. The dead-letter table is the record.
    if (nc) nc.publish(subject, letter.payload, { headers: h });
    else await js.publish(subject, letter.payload, { headers: h, timeout: 2_000 });
  };
  const policy = deliveryPolicy(options, announce, logger);
  const maxAckPending = options.maxAckPending ?? 1;

  const jsm = await js.jetstreamManager();
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: options.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: -1,
    max_ack_pending: maxAckPending,
    ...(options.filterSubjects.length === 1 ? { filter_subject: options.filterSubjects[0] as string } : { filter_subjects: [...options.filterSubjects] }),
  };
  let sessions = 0;
  /**
   * A session: the stream and the durable made sure of, then a pull loop that ends (instead of
   * waiting for someone else to restore them) when either goes missing, so this side recreates them.
   */
  const openSession = async () => {
    await options.beforeSession?.();
    const created = await ensureDurableConsumer(jsm, stream, config);
    if (created && sessions > 0) {
      logger.warn('durable consumer was missing and has been created again', { consumer: durable });
      options.onConsumerRecreated?.(durable);
    }
    sessions++;
    const consumer = await js.consumers.get(stream, durable);
    return consumer.consume({ max_messages: Math.max(1, Math.min(maxAckPending, 256)), abort_on_missing_resource: true });
  };

  let messages = await openSession();
  // A session is open from here until its message loop ends (a missing stream or durable, a lost connection).
  let live = true;
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const drain = async (): Promise<void> => {
    for await (const msg of messages) {
      // After stop() only what was already buffered arrives: hand it back for prompt redelivery.
      if (stopping) {
        msg.nak();
        continue;
      }
      try {
        await processDelivery(toRawDelivery(msg, durable), policy);
      } catch (error) {
        // processDelivery settles every message itself; this is a bug guard, not a retry path.
        logger.error('unexpected failure settling a message', { consumer: durable, error: errorMessage(error) });
        msg.nak(policy.backoffMs[0]);
      }
    }
  };

  const loop = (async () => {
    while (!stopping) {
      try {
        await drain();
      } catch (error) {
        if (!stopping) logger.warn('consumer session ended; opening a new one', { consumer: durable, error: errorMessage(error) });
      }
      live = false;
      // A session that ends without stop(): its stream or durable went missing. Open another.
      while (!stopping) {
        await pause(options.reopenDelayMs ?? 1_000);
        if (stopping) break;
        try {
          messages = await openSession();
          live = true;
          break;
        } catch (error) {
          logger.warn('cannot open a consumer session yet; retrying', { consumer: durable, error: errorMessage(error) });
        }
      }
    }
  })();
  const stopped = loop.catch((error) => logger.error('consumer loop ended with an error', { consumer: durable, error: errorMessage(error) }));

  return {
    durable,
    stopped,
    isLive: () => live && !stopping,
    async stop() {
      stopping = true;
      wake?.();
      await messages.close();
      await stopped;
    },
  };
}

/** Creates the durable (answering true), or updates the settings that may change on an existing one. */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<boolean> {
  try {
    const info = await jsm.consumers.info(stream, config.durable_name);
    const c = info.config;
    const changed =
      c.ack_wait !== config.ack_wait ||
      c.max_ack_pending !== config.max_ack_pending ||
      c.max_deliver !== config.max_deliver ||
      (c.filter_subject ?? '') !== (config.filter_subject ?? '') ||
      JSON.stringify(c.filter_subjects ?? []) !== JSON.stringify(config.filter_subjects ?? []);
    if (!changed) return false;
    const { durable_name: _name, deliver_policy: _policy, ack_policy: _ack, ...updatable } = config;
    await jsm.consumers.update(stream, config.durable_name, updatable);
    return false;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, config);
    return true;
  }
}

/** The client's connection: JetStreamClient keeps it as `nc` (not in its type). */
function connectionOf(js: JetStreamClient): NatsConnection | undefined {
  const candidate = (js as unknown as { nc?: NatsConnection }).nc;
  return candidate && typeof candidate.publish === 'function' ? candidate : undefined;
}

function toRawDelivery(msg: JsMsg, consumer: string): RawDelivery {
  const info = msg.info;
  const headers: Record<string, string> = {};
  if (msg.headers) for (const key of msg.headers.keys()) headers[key] = msg.headers.get(key);
  return {
    consumer,
    stream: info.stream,
    subject: msg.subject,
    streamSequence: info.streamSequence,
    deliveryCount: info.deliveryCount,
    redelivered: info.redelivered,
    headers,
    data: msg.data,
    ack: () => msg.ack(),
    nak: (delayMs) => msg.nak(delayMs),
    term: () => msg.term(),
  };
}
