import { EmploymentIntegrationEventTypes, validateReferralOutcomeReportedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { parseAgencyCode } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type BackgroundContext, type CommandPipeline, type CommandResult } from '@haidang/service-kit';
import { referral } from '../referral/referral.aggregate';

export const EMPLOYMENT_OUTCOMES_DURABLE = 'referrals-employment-outcomes';

export interface EmploymentOutcomesProcessManagerOptions {
  readonly bus: EventBus;
  readonly referrals: CommandPipeline;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
}

/**
 * When the employment service reports the outcome of a referral that opened an employment record
 * (`employment.ReferralOutcomeReported.v1`), completes the referral as the agency that accepted it,
 * through the pipeline under the message's id (a redelivery appends nothing). A referral already
 * completed (or closed otherwise) is settled with nothing appended: completed exactly once.
 */
export class EmploymentOutcomesProcessManager {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: EmploymentOutcomesProcessManagerOptions) {
    this.consumers = new IntegrationConsumers({
      ...options,
      subscriptions: [
        {
          durable: EMPLOYMENT_OUTCOMES_DURABLE,
          from: { service: 'employment', event: 'ReferralOutcomeReported', version: 1 },
          handle: (message) => this.handle(message),
        },
      ],
    });
  }

  /** As the service descriptor runs it: on the service's bus, pipeline and dead letters. */
  static for(context: BackgroundContext): EmploymentOutcomesProcessManager {
    const prefix = context.settings.integrationSubjectPrefix;
    return new EmploymentOutcomesProcessManager({
      bus: context.bus as EventBus,
      referrals: context.pipeline,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(prefix === undefined ? {} : { subjectPrefix: prefix }),
    });
  }

  start(): Promise<void> {
    return this.consumers.start();
  }

  stop(): Promise<void> {
    return this.consumers.stop();
  }

  async handle(message: RecordedEvent): Promise<void> {
    if (message.type !== EmploymentIntegrationEventTypes.ReferralOutcomeReportedV1) return;
    const checked = validateReferralOutcomeReportedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a ReferralOutcomeReported v1: ${checked.errors.join('; ')}`);
    const reported = checked.value;
    const receiver = parseAgencyCode(reported.reportedBy);
    if (receiver === undefined) throw new UnprocessableMessageError('unknown reporting agency');
    const { referrals } = this.options;
    await applyIntegrationEvent(message, reported.eventId, {
      principal: { sub: 'system:referrals/employment-outcomes', agency: receiver, roles: [], jurisdiction: [] },
      run: async (idempotencyKey): Promise<CommandResult> => {
        const current = await referrals.storeOf(referral).load(reported.referralId);
        const result = await referrals.execute(
          referral,
          reported.referralId,
          { type: 'CompleteReferral', data: { byAgency: reported.reportedBy, outcome: reported.outcome, note: null } },
          { expected: { version: current.version }, idempotencyKey },
        );
        // Completed already (an earlier delivery, or by hand): exactly once.
        if (!result.ok && result.failure.kind === 'rejected' && result.failure.error.code === 'referral-closed')
          return { ok: true, id: reported.referralId, version: current.version, events: [] };
        return result;
      },
    });
  }
}
