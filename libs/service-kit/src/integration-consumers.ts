import type { RecordedEvent } from '@haidang/event-store';
import { integrationSubject, type DeadLetterSink, type DurableConsumer, type EventBus, type MessagingLogger } from '@haidang/messaging';
import type { BackgroundWork } from './service';

/** One integration event a process manager acts on, and its durable consumer. */
export interface IntegrationSubscription {
  readonly durable: string;
  readonly from: { readonly service: string; readonly event: string; readonly version: number };
  handle(message: RecordedEvent): Promise<void>;
  /** Redelivery delays (default: the bus's). */
  readonly backoffMs?: readonly number[];
}

export interface IntegrationConsumersOptions {
  readonly bus: EventBus;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
  readonly subscriptions: readonly IntegrationSubscription[];
}

/**
 * The consuming half of every process manager: a durable consumer per integration event it acts on
 * (`int.<service>.<Event>.v<N>`), dead letters for what no retry can apply, started and stopped with
 * the service. The acting half is `applyIntegrationEvent` on the pipeline.
 */
export class IntegrationConsumers implements BackgroundWork {
  private readonly consumers: DurableConsumer[] = [];

  constructor(private readonly options: IntegrationConsumersOptions) {}

  async start(): Promise<void> {
    const prefix = this.options.subjectPrefix === undefined ? {} : { prefix: this.options.subjectPrefix };
    for (const subscription of this.options.subscriptions) {
      this.consumers.push(
        await this.options.bus.consume({
          durable: subscription.durable,
          filterSubjects: [integrationSubject(subscription.from.service, subscription.from.event, subscription.from.version, prefix)],
          deadLetters: this.options.deadLetters,
          logger: this.options.logger,
          ...(subscription.backoffMs === undefined ? {} : { backoffMs: subscription.backoffMs }),
          handler: (message) => subscription.handle(message),
        }),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }
}
