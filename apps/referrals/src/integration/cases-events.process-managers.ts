import { CasesIntegrationEventTypes, validatePersonErasedV1, validateRehabCompletedV1 } from '@haidang/contracts';
import { WrongExpectedVersionError, type RecordedEvent } from '@haidang/event-store';
import { integrationSubject, UnprocessableMessageError, type DeadLetterSink, type DurableConsumer, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { SubjectErasedError, type PersonalDataProtector } from '@haidang/pii';
import { parseAgencyCode, runWithContext, type Principal } from '@haidang/request-context';
import { decide, initialState, isDomainError } from '../referral/domain';
import type { ReferralRepository } from '../referral/referral.repository';
import { derivedId } from './integration-event-id';

export const JOB_COUNSELLING_DURABLE = 'referrals-job-counselling-proposals';
export const PERSON_ERASURE_DURABLE = 'referrals-person-erasures';

/**
 * What the draft says; the officer who sends it may add to it. Neutral on purpose: the sender may
 * send the draft to a non-state receiver (SUPPORT_MODEL, NGO), which must not learn from the reason
 * that the person was in rehab (treatment data) without consent for it.
 */
export const JOB_COUNSELLING_REASON = 'Free job counselling and introduction, if the person wants it.';

export interface CasesEventsProcessManagersOptions {
  readonly bus: EventBus;
  readonly referrals: ReferralRepository;
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
 *   receives anything until an officer sends it). The draft's id comes from the event's id, so a
 *   redelivery finds the draft already there and adds nothing.
 * - `cases.PersonErased.v1` → the person's key in this service's database is shredded too, so the
 *   free text of their referrals becomes unreadable here as well (invariant 6).
 */
export class CasesEventsProcessManagers {
  private readonly consumers: DurableConsumer[] = [];

  constructor(private readonly options: CasesEventsProcessManagersOptions) {}

  async start(): Promise<void> {
    const prefix = this.options.subjectPrefix === undefined ? {} : { prefix: this.options.subjectPrefix };
    const common = { deadLetters: this.options.deadLetters, logger: this.options.logger };
    this.consumers.push(
      await this.options.bus.consume({
        ...common,
        durable: JOB_COUNSELLING_DURABLE,
        filterSubjects: [integrationSubject('cases', 'RehabCompleted', 1, prefix)],
        handler: (message) => this.proposeJobCounselling(message),
      }),
      await this.options.bus.consume({
        ...common,
        durable: PERSON_ERASURE_DURABLE,
        filterSubjects: [integrationSubject('cases', 'PersonErased', 1, prefix)],
        handler: (message) => this.erasePerson(message),
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
  }

  async proposeJobCounselling(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.RehabCompletedV1) return;
    const checked = validateRehabCompletedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a RehabCompleted v1: ${checked.errors.join('; ')}`);
    const completed = checked.value;
    const proposer = parseAgencyCode(completed.recordedByAgency);
    if (proposer === undefined) throw new UnprocessableMessageError('unknown recording agency');
    const referralId = derivedId('job-counselling-proposal', completed.eventId);
    const principal: Principal = { sub: 'system:referrals/job-counselling-proposals', agency: proposer, roles: [], jurisdiction: [] };
    await runWithContext({ correlationId: correlationOf(message), causationId: completed.eventId, commandId: completed.eventId, principal }, async () => {
      const events = decide(
        {
          type: 'ProposeReferral',
          data: {
            referralId,
            personId: completed.personId,
            caseId: completed.caseId,
            fromAgency: proposer.code,
            toAgency: `${proposer.province}-EMPLOYMENT_CENTRE`,
            serviceType: 'JOB_COUNSELLING',
            reason: JOB_COUNSELLING_REASON,
            urgency: 'NORMAL',
          },
        },
        initialState(),
        new Date(),
      );
      if (isDomainError(events)) throw new UnprocessableMessageError(events.code);
      try {
        // The stream must not exist yet: that, with the id derived from the event, is what makes a redelivery add nothing.
        await this.options.referrals.append(referralId, completed.personId, events, 'no_stream');
      } catch (error) {
        // Proposed on an earlier delivery.
        if (error instanceof WrongExpectedVersionError) return;
        // Erased meanwhile: nothing may be proposed about the person any more.
        if (error instanceof SubjectErasedError) return;
        throw error;
      }
    });
  }

  async erasePerson(message: RecordedEvent): Promise<void> {
    if (message.type !== CasesIntegrationEventTypes.PersonErasedV1) return;
    const checked = validatePersonErasedV1(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a PersonErased v1: ${checked.errors.join('; ')}`);
    // Idempotent: erasing an erased key changes nothing.
    await this.options.protector.erase(checked.value.personId, { by: 'system:referrals/person-erasures', reason: `cases.PersonErased.v1 ${checked.value.eventId}` });
  }
}

function correlationOf(message: RecordedEvent): string {
  const value = (message.metadata as { correlationId?: unknown }).correlationId;
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : message.id;
}
