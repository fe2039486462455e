import { contextFrom, inSpan } from '@haidang/telemetry';
import { decodeEvent, EventHeaders } from '../event-codec';
import type { DeadLetter, DeadLetterSink } from '../dead-letters';
import { errorMessage, type MessagingLogger } from '../logger';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_DELIVER, type DeliveryInfo, type DurableConsumerOptions, type EventHandler } from './event-bus';

/** One delivery as a bus implementation hands it over; the ack verbs act on the broker. */
export interface RawDelivery extends DeliveryInfo {
  readonly data: Uint8Array;
  ack(): void;
  /** Redeliver after `delayMs`. */
  nak(delayMs: number): void;
  /** Never redeliver. */
  term(): void;
}

export type DeliveryOutcome = 'acked' | 'nacked' | 'dead-lettered';

export interface DeliveryPolicy {
  readonly handler: EventHandler;
  readonly deadLetters: DeadLetterSink;
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly deadLetterSubject: string;
  /** Best-effort notice on `dlq.<durable>`; the sink is the record that counts. */
  readonly announceDeadLetter: (subject: string, deadLetter: DeadLetter) => Promise<void>;
  readonly logger: MessagingLogger;
}

export function deliveryPolicy(
  options: DurableConsumerOptions,
  announceDeadLetter: DeliveryPolicy['announceDeadLetter'],
  logger: MessagingLogger,
): DeliveryPolicy {
  const maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) throw new Error(`maxDeliver must be a positive integer, got ${maxDeliver}`);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (backoffMs.length === 0 || backoffMs.some((ms) => !(ms >= 0))) throw new Error('backoffMs needs at least one non-negative delay');
  return {
    handler: options.handler,
    deadLetters: options.deadLetters,
    maxDeliver,
    backoffMs,
    deadLetterSubject: options.deadLetterSubject ?? `dlq.${options.durable}`,
    announceDeadLetter,
    logger,
  };
}

export function backoffFor(backoffMs: readonly number[], failedAttempts: number): number {
  return backoffMs[Math.min(Math.max(failedAttempts, 1), backoffMs.length) - 1] ?? 0;
}

/**
 * Thrown by a handler for a message that no retry can make succeed (a rule of the receiving
 * domain refuses it): the message is dead-lettered at once instead of after every back-off.
 */
export class UnprocessableMessageError extends Error {
  override readonly name = 'UnprocessableMessageError';
}

/**
 * Runs the handler on one delivery and settles it: ack on success; on failure a nak with the
 * back-off delay, or, at the last attempt, a dead letter and a term. A payload that is not an event
 * cannot succeed on a retry and is dead-lettered at once. If the dead letter cannot be recorded the
 * message is nak'd instead, so it is never dropped unrecorded.
 */
export async function processDelivery(delivery: RawDelivery, policy: DeliveryPolicy): Promise<DeliveryOutcome> {
  let event;
  try {
    event = decodeEvent(delivery.data);
  } catch (error) {
    return deadLetter(delivery, policy, error);
  }
  try {
    const delivered = event;
    // The handler continues the trace the message carries (its `traceparent`, from the appending request).
    await inSpan(
      `consume ${delivery.consumer}`,
      {
        kind: 'consumer',
        parent: contextFrom(delivery.headers['traceparent'] === undefined ? delivered.metadata : delivery.headers),
        attributes: { 'messaging.destination.name': delivery.subject, 'haidang.consumer': delivery.consumer, 'haidang.event_type': delivered.type },
      },
      async () =>
        policy.handler(delivered, {
          consumer: delivery.consumer,
          stream: delivery.stream,
          subject: delivery.subject,
          streamSequence: delivery.streamSequence,
          deliveryCount: delivery.deliveryCount,
          redelivered: delivery.redelivered,
          headers: delivery.headers,
        }),
    );
  } catch (error) {
    if (error instanceof UnprocessableMessageError || delivery.deliveryCount >= policy.maxDeliver) return deadLetter(delivery, policy, error);
    const delay = backoffFor(policy.backoffMs, delivery.deliveryCount);
    policy.logger.warn('handler failed; message will be redelivered', {
      consumer: delivery.consumer,
      streamSequence: delivery.streamSequence,
      attempt: delivery.deliveryCount,
      delayMs: delay,
      error: errorMessage(error),
    });
    delivery.nak(delay);
    return 'nacked';
  }
  delivery.ack();
  return 'acked';
}

async function deadLetter(delivery: RawDelivery, policy: DeliveryPolicy, cause: unknown): Promise<DeliveryOutcome> {
  const letter: DeadLetter = {
    consumer: delivery.consumer,
    stream: delivery.stream,
    streamSequence: delivery.streamSequence,
    subject: delivery.subject,
    msgId: delivery.headers[EventHeaders.MsgId],
    headers: delivery.headers,
    payload: delivery.data,
    error: errorMessage(cause),
    attempts: delivery.deliveryCount,
    time: new Date(),
  };
  try {
    await policy.deadLetters.record(letter);
  } catch (error) {
    policy.logger.error('could not record a dead letter; the message will be redelivered', {
      consumer: delivery.consumer,
      streamSequence: delivery.streamSequence,
      error: errorMessage(error),
    });
    delivery.nak(backoffFor(policy.backoffMs, policy.backoffMs.length));
    return 'nacked';
  }
  try {
    await policy.announceDeadLetter(policy.deadLetterSubject, letter);
  } catch (error) {
    policy.logger.warn('dead letter recorded but not announced', { subject: policy.deadLetterSubject, error: errorMessage(error) });
  }
  policy.logger.error('message dead-lettered', {
    consumer: delivery.consumer,
    streamSequence: delivery.streamSequence,
    subject: delivery.subject,
    attempts: delivery.deliveryCount,
    error: letter.error,
  });
  delivery.term();
  return 'dead-lettered';
}

/** Headers of the `dlq.<durable>` notice: the original ones plus why and after how many attempts. */
export function deadLetterHeaders(letter: DeadLetter): Record<string, string> {
  const oneLine = (text: string): string =>
    text
      .replace(/[\r\n]+/g, ' ')
      .slice(0, 512)
      .trim() || '-';
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(letter.headers)) {
    if (key !== EventHeaders.MsgId) headers[key] = value;
  }
  headers['Hd-Dlq-Consumer'] = letter.consumer;
  headers['Hd-Dlq-Stream'] = letter.stream;
  headers['Hd-Dlq-Stream-Sequence'] = String(letter.streamSequence);
  headers['Hd-Dlq-Subject'] = letter.subject;
  headers['Hd-Dlq-Attempts'] = String(letter.attempts);
  headers['Hd-Dlq-Error'] = oneLine(letter.error);
  if (letter.msgId) headers['Hd-Dlq-Msg-Id'] = letter.msgId;
  return headers;
}
