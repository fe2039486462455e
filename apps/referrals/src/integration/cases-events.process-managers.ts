import { CasesIntegrationEventTypes, validatePersonErasedV1, validateRehabCompletedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { SubjectErasedError, type PersonalDataProtector } from '@haidang/pii';
import { parseAgencyCode, type Principal } from '@haidang/request-context';
import { applyIntegrationEvent, IntegrationConsumers, type CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { ReferralCommand } from '../referral/domain';
import { referral } from '../referral/referral.aggregate';
import { derivedId } from './integration-event-id';

export const JOB_COUNSELLING_DURABLE = 'referrals-job-counselling-proposals';
export const PERSON_ERASURE_DURABLE = 'referrals-person-erasures';
/** Who proposes the drafts (event metadata), and the scope of its idempotency keys (no client request shares it). */
export const JOB_COUNSELLING_ACTOR = 'system:referrals/job-counselling-proposals';

/**
 * What the draft says; the officer who sends it may add to it. Neutral on purpose: the sender may
 * send the draft to a non-state receiver (SUPPORT_MODEL, NGO), which must not learn from the reason
 * that the person was in rehab (treatment data) without consent for it.
 */
// In Vietnamese, as the receiving officer reads it: "Free job counselling and introduction, if the person wants it."
export const JOB_COUNSELLING_REASON = 'Tư vấn, giới thiệu việc làm miễn phí nếu người lao động có nhu cầu.';
/** The same as a code of JOB_COUNSELLING's list. */
export const JOB_COUNSELLING_REASON_CODE = 'FREE_JOB_COUNSELLING';

export interface CasesEventsProcessManagersOptions {
  readonly bus: EventBus;
  /** The service's command pipeline (the same every HTTP request goes through). */
  readonly referrals: CommandPipeline;
  readonly protector: PersonalDataProtector;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
}

/**
 * What the referrals service does on the cases service's integration events:
 * - `cases.RehabCompleted.v1` → a job-counselling referral to the province's employment service
 *   centre is *proposed* (a draft in the outbox of the agency that recorded the completion; nobody
 *   receives anything until an officer sends it), through the pipeline (applyIntegrationEvent). The
 *   draft's id comes from the event's id, so a redelivery finds the draft already there and adds
 *   nothing; a rule that refuses the draft dead-letters the message.
 * - `cases.PersonErased.v1` → the person's key in this service's database is shredded too, so the
 *   free text of their referrals becomes unreadable here as well (invariant 6).
 */
export class CasesEventsProcessManagers {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: CasesEventsProcessManagersOptions) {
    this.consumers = new IntegrationConsumers({
      ...options,
      subscriptions: [
        {
          durable: JOB_COUNSELLING_DURABLE,
          from: { service: 'cases', event: 'RehabCompleted', version: 1 },
          handle: (message) => this.proposeJobCounselling(message),
        },
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

  async proposeJobCounselling(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.RehabCompletedV1) return;
    const checked = validateRehabCompletedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a RehabCompleted v1: ${checked.errors.join('; ')}`);
    const completed = checked.value;
    const proposer = parseAgencyCode(completed.recordedByAgency);
    if (proposer === undefined) throw new UnprocessableMessageError('unknown recording agency');
    const referralId = derivedId('job-counselling-proposal', completed.eventId);
    const principal: Principal = { sub: JOB_COUNSELLING_ACTOR, agency: proposer, roles: [], jurisdiction: [] };
    const command: ReferralCommand = {
      type: 'ProposeReferral',
      data: {
        referralId,
        personId: completed.personId,
        caseId: completed.caseId,
        fromAgency: proposer.code,
        toAgency: `${proposer.province}-EMPLOYMENT_CENTRE`,
        serviceType: 'JOB_COUNSELLING',
        reason: JOB_COUNSELLING_REASON,
        // Coded too, so the officer may send the draft to a support model without adding a code (issue 10 §10).
        reasonCode: JOB_COUNSELLING_REASON_CODE,
        urgency: 'NORMAL',
      },
    };
    await applyIntegrationEvent(message, completed.eventId, {
      principal,
      run: async (idempotencyKey) => {
        try {
          // The stream must not exist yet: that, with the id derived from the event, is what makes a redelivery add nothing.
          const result = await this.options.referrals.execute(referral, referralId, command, {
            expected: 'new',
            idempotencyKey,
            idempotencyScope: JOB_COUNSELLING_ACTOR,
          });
          // Proposed on an earlier delivery.
          return !result.ok && result.failure.kind === 'rejected' && result.failure.error.code === 'referral-already-exists' ? nothingToDo(referralId) : result;
        } catch (error) {
          // Erased meanwhile: nothing may be proposed about the person any more.
          if (error instanceof SubjectErasedError) return nothingToDo(referralId);
          throw error;
        }
      },
    });
  }

  async erasePerson(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.PersonErasedV1) return;
    const checked = validatePersonErasedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a PersonErased v1: ${checked.errors.join('; ')}`);
    // Idempotent: erasing an erased key changes nothing.
    await this.options.protector.erase(checked.value.personId, {
      by: 'system:referrals/person-erasures',
      reason: `cases.PersonErased.v1 ${checked.value.eventId}`,
    });
  }
}

/** The message is settled with nothing appended. */
const nothingToDo = (id: string): CommandResult => ({ ok: true, id, version: -1, events: [] });
