import { ReferralsIntegrationEventTypes, validateReferralAcceptedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { parseAgencyCode } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type CommandPipeline } from '@haidang/service-kit';
import { rehabCase } from '../rehab-case/rehab-case.aggregate';

export const FACILITY_ADMISSIONS_DURABLE = 'cases-facility-admissions';

export interface FacilityAdmissionProcessManagerOptions {
  readonly bus: EventBus;
  readonly pipeline: CommandPipeline;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
  readonly durable?: string;
  readonly backoffMs?: readonly number[];
}

/**
 * When a facility accepts a REHAB_ADMISSION referral (`referrals.ReferralAccepted.v1`), records the
 * admission on the rehab case. Idempotent on redelivery twice over: the decider yields nothing for a
 * referral already recorded, and the append carries the integration event's id as its
 * Idempotency-Key. The event is attributed to the accepting facility, caused by the integration
 * event, as the work of this process manager (actor `system:cases/facility-admissions`).
 */
export class FacilityAdmissionProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: FacilityAdmissionProcessManagerOptions) {
    this.consumers = new IntegrationConsumers({
      ...options,
      subscriptions: [
        {
          durable: options.durable ?? FACILITY_ADMISSIONS_DURABLE,
          from: { service: 'referrals', event: 'ReferralAccepted', version: 1 },
          handle: (message) => this.handle(message),
          ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
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
    if (message.type !== ReferralsIntegrationEventTypes.ReferralAcceptedV1) return;
    const checked = validateReferralAcceptedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a ReferralAccepted v1: ${checked.errors.join('; ')}`);
    const accepted = checked.value;
    if (accepted.serviceType !== 'REHAB_ADMISSION' || accepted.caseId === null) return;
    const facility = parseAgencyCode(accepted.toAgency);
    if (facility === undefined) throw new UnprocessableMessageError('unknown accepting agency');
    // A commune (rehab at home) or a health service may accept a rehab admission too: that is not a facility stay.
    if (facility.type !== 'REHAB_FACILITY') return;
    const caseId = accepted.caseId;
    const { pipeline } = this.options;
    await applyIntegrationEvent(message, accepted.eventId, {
      principal: { sub: `system:cases/facility-admissions`, agency: facility, roles: [], jurisdiction: [] },
      // A date "in the future" is a clock a little ahead elsewhere, around midnight: it will pass.
      transient: (error) => error.code === 'date-in-future',
      run: async (idempotencyKey) => {
        // Decided on the case as it is now; a case written meanwhile is a conflict, and the redelivery decides again.
        const current = await pipeline.storeOf(rehabCase).load(caseId);
        return pipeline.execute(
          rehabCase,
          caseId,
          { type: 'RecordFacilityAdmission', data: { referralId: accepted.referralId, facilityAgency: accepted.toAgency, acceptedOn: accepted.acceptedOn } },
          {
            expected: { version: current.version },
            idempotencyKey,
            // The referrals service checked the case with cases before referring: another person is a fault to look at, not to retry.
            authorize: (state) => {
              if (state.personId !== accepted.personId) throw new UnprocessableMessageError('the referral names another person than the case');
            },
          },
        );
      },
    });
  }
}
