import {
  CrossBorderIntegrationEventTypes,
  upcastReceivedPersonNeedsSupport,
  type ReceivedPersonNeed,
  type ReceivedPersonNeedsSupportV2,
} from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type EventBus } from '@haidang/messaging';
import { SubjectErasedError } from '@haidang/pii';
import { parseAgencyCode, type Principal } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type BackgroundContext, type CommandResult } from '@haidang/service-kit';
import type { ReferralCommand, ServiceType } from '../referral/domain';
import { referral } from '../referral/referral.aggregate';
import { derivedId } from './integration-event-id';

/** The durable consumer of `cross-border.ReceivedPersonNeedsSupport.v1` (messages published before v2). */
export const TRAFFICKING_VICTIM_SUPPORT_DURABLE = 'referrals-trafficking-victim-support';
/** The durable consumer of `cross-border.ReceivedPersonNeedsSupport.v2` (one referral per need). */
export const RECEIVED_PERSON_NEEDS_DURABLE = 'referrals-received-person-needs';
/** Who sends these referrals in the log (metadata), and the scope of its idempotency keys. */
export const TRAFFICKING_VICTIM_SUPPORT_ACTOR = 'system:referrals/trafficking-victim-support';

/**
 * What the referral says. It names the service asked, not what happened to the person: the details
 * stay with the border guard and in cases, where the receiver may read them within its scope.
 */
export const TRAFFICKING_VICTIM_SUPPORT_REASON = 'Received from China at the border in a handover; needs support (shelter, health care, legal aid).';

/**
 * Each need a person received at the border may have, as a referral of this service's catalogue:
 * its service type, the words of its reason and its reason code (what a receiver that may not read
 * free text sees). No reason says anything about the person: only the need.
 *
 * HEALTH becomes HEALTH_HIV_METHADONE, the catalogue's one health service: the receiver is a state
 * health agency (cross-border asks HEALTH agencies only), which receives without consent, and no
 * treatment data goes with it (`sharesTreatmentData` stays false: the border guard has none), so it is
 * not bound to a consent. Sending it as TRAFFICKING_VICTIM_SUPPORT instead would give the Department
 * of Health two referrals of one type for one person, one of them indistinguishable from support as
 * a whole (VICTIM_SUPPORT); its reason code is the neutral HEALTH_CHECK.
 */
export const RECEIVED_PERSON_NEED_REFERRALS: Readonly<Record<ReceivedPersonNeed, { serviceType: ServiceType; reason: string; reasonCode: string }>> = {
  VICTIM_SUPPORT: { serviceType: 'TRAFFICKING_VICTIM_SUPPORT', reason: TRAFFICKING_VICTIM_SUPPORT_REASON, reasonCode: 'RECEIVED_AT_BORDER' },
  SHELTER: {
    serviceType: 'SHELTER',
    reason: 'Received from China at the border in a handover; needs a place to stay.',
    reasonCode: 'RETURNED_FROM_ABROAD',
  },
  HEALTH: { serviceType: 'HEALTH_HIV_METHADONE', reason: 'Received from China at the border in a handover; needs a health check.', reasonCode: 'HEALTH_CHECK' },
  LEGAL_AID: { serviceType: 'LEGAL_AID', reason: 'Received from China at the border in a handover; needs legal aid.', reasonCode: 'LEGAL_ADVICE' },
};

/** The referral made for a person received in a handover and asked support as a whole (v1, and v2's VICTIM_SUPPORT): one per person. */
export const traffickingVictimSupportReferralId = (handedOverPersonId: string): string => derivedId('trafficking-victim-support', handedOverPersonId);

/**
 * The referral made for one need of a person received in a handover: one per person and need,
 * whatever the deliveries, versions or replays. VICTIM_SUPPORT keeps the id v1 gave, so a v1
 * message and its v2 successor for the same person land on one referral.
 */
export const receivedPersonNeedReferralId = (handedOverPersonId: string, need: ReceivedPersonNeed): string =>
  need === 'VICTIM_SUPPORT' ? traffickingVictimSupportReferralId(handedOverPersonId) : derivedId('received-person-need', handedOverPersonId, need);

/**
 * When the cross-border service reports a person received from China who needs support and is now a
 * person of cases (`cross-border.ReceivedPersonNeedsSupport.v2`, and v1 read as v2: its
 * `supportAgency` is the need VICTIM_SUPPORT), refers them for each need from the agency that
 * received them to the agency asked, sent at once (HIGH), through the pipeline under the message's
 * id and the need. Each referral's id is derived from the handed-over person and the need, so a
 * redelivery, a replay or a restart finds it there and adds nothing: one referral per need. A need
 * the catalogue refuses (a receiver that does not provide the service) does not stop the others:
 * the message is dead-lettered after them, naming the needs and the refusals' codes, never dropped.
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
        {
          durable: RECEIVED_PERSON_NEEDS_DURABLE,
          from: { service: 'cross-border', event: 'ReceivedPersonNeedsSupport', version: 2 },
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
    if (
      message.type !== CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1 &&
      message.type !== CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2
    )
      return;
    const checked = upcastReceivedPersonNeedsSupport(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a ReceivedPersonNeedsSupport: ${checked.errors.join('; ')}`);
    const received = checked.value;
    const sender = parseAgencyCode(received.receivedByAgency);
    if (sender === undefined) throw new UnprocessableMessageError('unknown receiving agency');
    const principal: Principal = { sub: TRAFFICKING_VICTIM_SUPPORT_ACTOR, agency: sender, roles: [], jurisdiction: [] };
    const refused: string[] = [];
    for (const asked of received.needs) {
      try {
        await this.refer(message, received, asked.need, asked.agency, principal);
      } catch (error) {
        // A refusal of one need is reported with the others' after they are made; anything that may pass on a retry is retried.
        if (!(error instanceof UnprocessableMessageError)) throw error;
        refused.push(`${asked.need}: ${error.message}`);
      }
    }
    if (refused.length > 0) throw new UnprocessableMessageError(`needs refused: ${refused.join('; ')}`);
  }

  private async refer(
    message: RecordedEvent,
    received: ReceivedPersonNeedsSupportV2,
    need: ReceivedPersonNeed,
    toAgency: string,
    principal: Principal,
  ): Promise<void> {
    const referralId = receivedPersonNeedReferralId(received.handedOverPersonId, need);
    const { serviceType, reason, reasonCode } = RECEIVED_PERSON_NEED_REFERRALS[need];
    const command: ReferralCommand = {
      type: 'CreateReferral',
      data: {
        referralId,
        personId: received.personId,
        caseId: null,
        fromAgency: principal.agency.code,
        toAgency,
        serviceType,
        reason,
        reasonCode,
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
            // One message makes several referrals: each need its own key.
            idempotencyKey: need === 'VICTIM_SUPPORT' ? idempotencyKey : `${idempotencyKey}:${need}`,
            idempotencyScope: TRAFFICKING_VICTIM_SUPPORT_ACTOR,
          });
          // Referred on an earlier delivery (or from the v1 message for the same person).
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
