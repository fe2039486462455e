import { CrossBorderIntegrationEventTypes, validateReceivedPersonNeedsSupportV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type EventBus } from '@haidang/messaging';
import { SubjectErasedError } from '@haidang/pii';
import { parseAgencyCode, type Principal } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type BackgroundContext, type CommandResult } from '@haidang/service-kit';
import type { ReferralCommand } from '../referral/domain';
import { referral } from '../referral/referral.aggregate';
import { derivedId } from './integration-event-id';

export const TRAFFICKING_VICTIM_SUPPORT_DURABLE = 'referrals-trafficking-victim-support';
/** Who sends these referrals in the log (metadata), and the scope of its idempotency keys. */
export const TRAFFICKING_VICTIM_SUPPORT_ACTOR = 'system:referrals/trafficking-victim-support';

/**
 * What the referral says. It names the service asked, not what happened to the person: the details
 * stay with the border guard and in cases, where the receiver may read them within its scope.
 */
export const TRAFFICKING_VICTIM_SUPPORT_REASON = 'Received from China at the border in a handover; needs support (shelter, health care, legal aid).';

/** The referral made for a person received in a handover: one per handed-over person, whatever the deliveries. */
export const traffickingVictimSupportReferralId = (handedOverPersonId: string): string => derivedId('trafficking-victim-support', handedOverPersonId);

/**
 * When the cross-border service reports a person received from China who needs support and is now a
 * person of cases (`cross-border.ReceivedPersonNeedsSupport.v1`), refers them for
 * TRAFFICKING_VICTIM_SUPPORT from the agency that received them to the agency it named, sent at once
 * (HIGH: an answer the next working day), through the pipeline under the message's id. The
 * referral's id is derived from the handed-over person, so a redelivery, a replay or a restart finds
 * it there and adds nothing: one referral per person received. A referral the catalogue refuses (a
 * receiver that no longer provides the service) is dead-lettered, never dropped.
 */
export class TraffickingVictimSupportProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly context: BackgroundContext) {
    const prefix = context.settings.integrationSubjectPrefix;
    this.consumers = new IntegrationConsumers({
      bus: context.bus as EventBus,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(prefix === undefined ? {} : { subjectPrefix: prefix }),
      subscriptions: [
        {
          durable: TRAFFICKING_VICTIM_SUPPORT_DURABLE,
          from: { service: 'cross-border', event: 'ReceivedPersonNeedsSupport', version: 1 },
          handle: (message) => this.handle(message),
        },
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
    if (message.type !== CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1) return;
    const checked = validateReceivedPersonNeedsSupportV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a ReceivedPersonNeedsSupport v1: ${checked.errors.join('; ')}`);
    const received = checked.value;
    const sender = parseAgencyCode(received.receivedByAgency);
    if (sender === undefined) throw new UnprocessableMessageError('unknown receiving agency');
    const referralId = traffickingVictimSupportReferralId(received.handedOverPersonId);
    const principal: Principal = { sub: TRAFFICKING_VICTIM_SUPPORT_ACTOR, agency: sender, roles: [], jurisdiction: [] };
    const command: ReferralCommand = {
      type: 'CreateReferral',
      data: {
        referralId,
        personId: received.personId,
        caseId: null,
        fromAgency: sender.code,
        toAgency: received.supportAgency,
        serviceType: 'TRAFFICKING_VICTIM_SUPPORT',
        reason: TRAFFICKING_VICTIM_SUPPORT_REASON,
        urgency: 'HIGH',
      },
    };
    const { pipeline } = this.context;
    await applyIntegrationEvent(message, received.eventId, {
      principal,
      run: async (idempotencyKey): Promise<CommandResult> => {
        try {
          const result = await pipeline.execute(referral, referralId, command, {
            expected: 'new',
            idempotencyKey,
            idempotencyScope: TRAFFICKING_VICTIM_SUPPORT_ACTOR,
          });
          // Referred on an earlier delivery.
          return !result.ok && result.failure.kind === 'rejected' && result.failure.error.code === 'referral-already-exists' ? nothingToDo(referralId) : result;
        } catch (error) {
          // The person was erased meanwhile: nothing may be sent about them any more.
          if (error instanceof SubjectErasedError) return nothingToDo(referralId);
          throw error;
        }
      },
    });
  }
}

const nothingToDo = (id: string): CommandResult => ({ ok: true, id, version: -1, events: [] });
