import { CasesIntegrationEventTypes, validatePersonErasedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import type { PersonalDataProtector } from '@haidang/pii';
import { IntegrationConsumers } from '@haidang/service-kit';

export const PERSON_ERASURE_DURABLE = 'employment-person-erasures';
export const PERSON_ERASURE_ACTOR = 'system:employment/person-erasures';

export interface PersonErasureProcessManagerOptions {
  readonly bus: EventBus;
  readonly protector: PersonalDataProtector;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
}

/**
 * `cases.PersonErased.v1` → the person's key in this service's key table is shredded too, so their
 * skills, preferences, notes and certificate numbers become unreadable here as well (invariant 6);
 * reads answer `[erased]`. Idempotent: erasing an erased key changes nothing, so a redelivery is harmless.
 */
export class PersonErasureProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: PersonErasureProcessManagerOptions) {
    this.consumers = new IntegrationConsumers({
      ...options,
      subscriptions: [
        { durable: PERSON_ERASURE_DURABLE, from: { service: 'cases', event: 'PersonErased', version: 1 }, handle: (message) => this.erasePerson(message) },
      ],
    });
  }

  start(): Promise<void> {
    return this.consumers.start();
  }

  stop(): Promise<void> {
    return this.consumers.stop();
  }

  async erasePerson(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.PersonErasedV1) return;
    const checked = validatePersonErasedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a PersonErased v1: ${checked.errors.join('; ')}`);
    await this.options.protector.erase(checked.value.personId, { by: PERSON_ERASURE_ACTOR, reason: `cases.PersonErased.v1 ${checked.value.eventId}` });
  }
}
