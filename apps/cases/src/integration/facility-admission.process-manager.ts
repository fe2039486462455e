import { ReferralsIntegrationEventTypes, validateReferralAcceptedV1 } from '@haidang/contracts';
import { WrongExpectedVersionError, type RecordedEvent } from '@haidang/event-store';
import { integrationSubject, UnprocessableMessageError, type DeadLetterSink, type DurableConsumer, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { parseAgencyCode, runWithContext, type Principal } from '@haidang/request-context';
import { decide, isDomainError } from '../rehab-case/domain';
import type { RehabCaseRepository } from '../rehab-case/rehab-case.repository';

export const FACILITY_ADMISSIONS_DURABLE = 'cases-facility-admissions';

export interface FacilityAdmissionProcessManagerOptions {
  readonly bus: EventBus;
  readonly cases: RehabCaseRepository;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
  readonly durable?: string;
  readonly backoffMs?: readonly number[];
}

/** A message that may apply later (the case is being written meanwhile): retried with back-off. */
export class AdmissionNotRecordedYetError extends Error {
  override readonly name = 'AdmissionNotRecordedYetError';
}

/**
 * When a facility accepts a REHAB_ADMISSION referral (`referrals.ReferralAccepted.v1`), records the
 * admission on the rehab case. Idempotent on redelivery twice over: the decider yields nothing for a
 * referral already recorded, and the append carries the integration event's id as its
 * Idempotency-Key. The event is attributed to the accepting facility, caused by the integration
 * event, as the work of this process manager (actor `system:cases/facility-admissions`).
 */
export class FacilityAdmissionProcessManager {
  private consumer: DurableConsumer | undefined;

  constructor(private readonly options: FacilityAdmissionProcessManagerOptions) {}

  async start(): Promise<void> {
    const prefix = this.options.subjectPrefix === undefined ? {} : { prefix: this.options.subjectPrefix };
    this.consumer = await this.options.bus.consume({
      durable: this.options.durable ?? FACILITY_ADMISSIONS_DURABLE,
      filterSubjects: [integrationSubject('referrals', 'ReferralAccepted', 1, prefix)],
      deadLetters: this.options.deadLetters,
      logger: this.options.logger,
      ...(this.options.backoffMs === undefined ? {} : { backoffMs: this.options.backoffMs }),
      handler: (message) => this.handle(message),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
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
    const principal: Principal = { sub: `system:cases/facility-admissions`, agency: facility, roles: [], jurisdiction: [] };
    const caseId = accepted.caseId;
    await runWithContext({ correlationId: correlationOf(message), causationId: accepted.eventId, commandId: accepted.eventId, principal }, async () => {
      const current = await this.options.cases.load(caseId);
      // The referrals service checked the case with cases before referring: a missing one is a fault to look at, not to retry.
      if (current.state.personId === null) throw new UnprocessableMessageError('no such rehab case');
      if (current.state.personId !== accepted.personId) throw new UnprocessableMessageError('the referral names another person than the case');
      const events = decide({ type: 'RecordFacilityAdmission', data: { referralId: accepted.referralId, facilityAgency: accepted.toAgency, acceptedOn: accepted.acceptedOn } }, current.state, new Date());
      // A date "in the future" is a clock a little ahead elsewhere, around midnight: it will pass.
      if (isDomainError(events)) throw events.code === 'date-in-future' ? new AdmissionNotRecordedYetError(events.code) : new UnprocessableMessageError(events.code);
      if (events.length === 0) return;
      try {
        await this.options.cases.append(caseId, current.state.personId, events, BigInt(current.version), { key: `int:${accepted.eventId}`, request: { referralAccepted: accepted.eventId } });
      } catch (error) {
        // Someone else wrote the case meanwhile: the redelivery decides again on the new state.
        if (error instanceof WrongExpectedVersionError) throw new AdmissionNotRecordedYetError('the case changed meanwhile');
        throw error;
      }
    });
  }
}

function correlationOf(message: RecordedEvent): string {
  const value = (message.metadata as { correlationId?: unknown }).correlationId;
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : message.id;
}
