import { CasesIntegrationEventTypes, validatePersonErasedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type EventBus } from '@haidang/messaging';
import { parseAgencyCode, type Principal } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type BackgroundContext, type CommandResult } from '@haidang/service-kit';
import { handedOverPersonsOf } from '../cases-person-links';
import { handedOverPerson } from '../handed-over-person.aggregate';

export const CASES_PERSON_ERASURE_DURABLE = 'cross-border-cases-person-erasures';
/** Who records these erasures (event metadata, the key's shredding), and the scope of their idempotency keys. */
export const CASES_PERSON_ERASURE_ACTOR = 'system:cross-border/cases-person-erasures';

/** The erasure's reference: the cases event it follows (a code, nothing about the person). */
export const casesErasureReference = (eventId: string): string => `cases.PersonErased.v1/${eventId}`;

/**
 * When cases erases a person (`cases.PersonErased.v1`), every handed-over person registered as them
 * (`CasesPersonLink-<cases person id>`) is erased here too, through the erase path the data-protection
 * officer uses: the person's key is shredded first, then the `HandedOverPersonErased` marker is
 * appended, once. A redelivery finds the person erased (409 `already-erased` on the HTTP route) and
 * adds nothing; a person handed over and never registered in cases is not touched.
 */
export class CasesPersonErasureProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly context: BackgroundContext) {
    const prefix = context.settings.integrationSubjectPrefix;
    this.consumers = new IntegrationConsumers({
      bus: context.bus as EventBus,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(prefix === undefined ? {} : { subjectPrefix: prefix }),
      subscriptions: [
        { durable: CASES_PERSON_ERASURE_DURABLE, from: { service: 'cases', event: 'PersonErased', version: 1 }, handle: (message) => this.handle(message) },
      ],
    });
  }

  start(): Promise<void> {
    return this.consumers.start();
  }

  stop(): Promise<void> {
    return this.consumers.stop();
  }

  async handle(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.PersonErasedV1) return;
    const checked = validatePersonErasedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a PersonErased v1: ${checked.errors.join('; ')}`);
    const { eventId, personId } = checked.value;
    const { pipeline, protector } = this.context;
    const store = pipeline.storeOf(handedOverPerson);
    for (const id of await handedOverPersonsOf(this.context.store, personId)) {
      const { state, version } = await store.load(id);
      const recorded = state.recorded;
      // Linked, but the registration's retry has not appended the person yet: shred the key all the same (nothing can reveal them then).
      if (recorded === null) {
        await protector.erase(id, { by: CASES_PERSON_ERASURE_ACTOR, reason: casesErasureReference(eventId) });
        continue;
      }
      const agency = parseAgencyCode(recorded.recordedByAgency);
      if (agency === undefined) throw new UnprocessableMessageError('unknown recording agency');
      const principal: Principal = { sub: CASES_PERSON_ERASURE_ACTOR, agency, roles: [], jurisdiction: [] };
      await applyIntegrationEvent(message, eventId, {
        principal,
        run: async (idempotencyKey): Promise<CommandResult> => {
          const result = await pipeline.execute(
            handedOverPerson,
            id,
            { type: 'RecordErasure', data: { reference: casesErasureReference(eventId) } },
            {
              expected: { version },
              idempotencyKey: `${idempotencyKey}:${id}`,
              idempotencyScope: CASES_PERSON_ERASURE_ACTOR,
              precheck: async (state) => {
                if (state.recorded !== null && !state.erased)
                  await protector.erase(id, { by: CASES_PERSON_ERASURE_ACTOR, reason: casesErasureReference(eventId) });
              },
            },
          );
          // Erased before (by the data-protection officer, or on an earlier delivery).
          return !result.ok && result.failure.kind === 'rejected' && result.failure.error.code === 'already-erased'
            ? { ok: true, id, version: -1, events: [] }
            : result;
        },
      });
    }
  }
}
