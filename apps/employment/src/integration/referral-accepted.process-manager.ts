import { ReferralsIntegrationEventTypes, validateReferralAcceptedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { parseAgencyCode } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type CommandPipeline, type CommandResult } from '@haidang/service-kit';
import { isOneOf, EMPLOYMENT_REFERRAL_SERVICES, type Need } from '../employment-record/domain';
import { employmentRecord } from '../employment-record/employment-record.aggregate';
import { employmentRecordIdOfReferral } from '../employment-record/open-employment-record/open-employment-record.handler';

export const REFERRAL_INTAKE_DURABLE = 'employment-referral-intake';
/** Who opens the records (event metadata), and the scope of its idempotency keys (no client request shares it). */
export const REFERRAL_INTAKE_ACTOR = 'system:employment/referral-intake';

/** What the person is taken to want, from the service they were referred for, until the centre assesses it. */
const NEED_OF: Record<(typeof EMPLOYMENT_REFERRAL_SERVICES)[number], Need> = {
  JOB_COUNSELLING: 'WANTS_WORK',
  VOCATIONAL_TRAINING: 'WANTS_TRAINING',
  JOB_PLACEMENT: 'WANTS_WORK',
};

export interface ReferralAcceptedProcessManagerOptions {
  readonly bus: EventBus;
  readonly pipeline: CommandPipeline;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
}

/**
 * When an employment service centre accepts a JOB_COUNSELLING, VOCATIONAL_TRAINING or JOB_PLACEMENT
 * referral (`referrals.ReferralAccepted.v1`), opens an employment record for the person, through the
 * pipeline (applyIntegrationEvent). One record per referral: its id is derived from the referral's,
 * so a redelivery (or the same referral delivered twice) finds the record there and adds nothing.
 * The event does not carry the person's commune: the record lies in the centre's province until the
 * centre records the commune of residence (`POST …/residence`), and no commune sees it before.
 */
export class ReferralAcceptedProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: ReferralAcceptedProcessManagerOptions) {
    this.consumers = new IntegrationConsumers({
      ...options,
      subscriptions: [
        { durable: REFERRAL_INTAKE_DURABLE, from: { service: 'referrals', event: 'ReferralAccepted', version: 1 }, handle: (message) => this.handle(message) },
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
    const serviceType = accepted.serviceType;
    if (!isOneOf(EMPLOYMENT_REFERRAL_SERVICES, serviceType)) return;
    const centre = parseAgencyCode(accepted.toAgency);
    if (centre === undefined) throw new UnprocessableMessageError('unknown accepting agency');
    // A support model or an NGO may accept job counselling too: that is their work, not a record here.
    if (centre.type !== 'EMPLOYMENT_CENTRE') return;
    const recordId = employmentRecordIdOfReferral(accepted.referralId);
    const { pipeline } = this.options;
    await applyIntegrationEvent(message, accepted.eventId, {
      principal: { sub: REFERRAL_INTAKE_ACTOR, agency: centre, roles: [], jurisdiction: [] },
      // A date "in the future" is a clock a little ahead elsewhere, around midnight: it will pass.
      transient: (error) => error.code === 'date-in-future',
      run: async (idempotencyKey): Promise<CommandResult> => {
        const result = await pipeline.execute(
          employmentRecord,
          recordId,
          {
            type: 'OpenEmploymentRecord',
            data: {
              recordId,
              personId: accepted.personId,
              communeCode: null,
              provinceCode: centre.province,
              openedOn: accepted.acceptedOn,
              need: NEED_OF[serviceType],
              notNowReason: null,
              skills: '',
              preferences: '',
              referral: { referralId: accepted.referralId, serviceType, acceptedBy: accepted.toAgency },
            },
          },
          { expected: 'new', idempotencyKey, idempotencyScope: REFERRAL_INTAKE_ACTOR },
        );
        // Opened on an earlier delivery (or from a copy of the message under another id).
        if (!result.ok && result.failure.kind === 'rejected' && result.failure.error.code === 'already-open')
          return { ok: true, id: recordId, version: -1, events: [] };
        return result;
      },
    });
  }
}
