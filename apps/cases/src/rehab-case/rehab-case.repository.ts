import { Inject, Injectable } from '@nestjs/common';
import { jsonEvent, type EventMetadata, type ExpectedRevision, type PostgresEventStore, type RecordedEvent, StreamNotFoundError } from '@haidang/event-store';
import type { PersonalDataProtector } from '@haidang/pii';
import { metadataFromContext } from '@haidang/request-context';
import type { RequestFingerprint } from '../request-fingerprint';
import { EVENT_STORE, PROTECTOR, REQUEST_FINGERPRINT } from '../tokens';
import { evolve, initialState, REHAB_CASE_EVENT_SCHEMA_VERSIONS, type RehabCaseEvent, type RehabCaseState } from './domain';

export const rehabCaseStream = (caseId: string): string => `RehabCase-${caseId}`;

export interface LoadedRehabCase {
  readonly state: RehabCaseState;
  /** Revision of the last event folded, -1 when the stream does not exist (what `ETag` / `If-Match` carry). */
  readonly version: number;
}

/** Loads a rehab case by folding its stream, appends with an expected version. */
@Injectable()
export class RehabCaseRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(REQUEST_FINGERPRINT) private readonly fingerprint: RequestFingerprint,
  ) {}

  /** `upTo`: fold only up to that revision (the state a client saw when it sent that `If-Match`). */
  async load(caseId: string, upTo?: number): Promise<LoadedRehabCase> {
    let state = initialState();
    let version = -1;
    for (const event of await this.events(caseId)) {
      if (upTo !== undefined && Number(event.revision) > upTo) break;
      state = evolve(state, { type: event.type, data: event.data } as unknown as RehabCaseEvent);
      version = Number(event.revision);
    }
    return { state, version };
  }

  /** The recorded events with their metadata (for the history). */
  async events(caseId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(rehabCaseStream(caseId))) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /**
   * Appends all events in one transaction at the expected revision, each with the request's
   * metadata (actor, agency, correlation). Free text that may hold health data (progress notes) is
   * encrypted with the person's key first (libs/pii), so erasing the person shreds it too.
   *
   * A retry under its Idempotency-Key is recognised by a keyed fingerprint of the request as sent
   * (and the case and version it names), not of the events: the ciphertext differs on every try,
   * and what the service derives (earlier courses from the read model) may have moved since.
   */
  async append(
    caseId: string,
    personId: string,
    events: readonly RehabCaseEvent[],
    expected: ExpectedRevision,
    idempotency?: { readonly key: string; readonly request: unknown },
  ): Promise<number> {
    const metadata: EventMetadata = metadataFromContext();
    const stored = await Promise.all(events.map((e) => this.protect(personId, e)));
    const result = await this.store.appendToStream(
      rehabCaseStream(caseId),
      stored.map((e) => jsonEvent({ type: e.type, schemaVersion: REHAB_CASE_EVENT_SCHEMA_VERSIONS[e.type], data: e.data, metadata })),
      {
        expectedRevision: expected,
        ...(idempotency === undefined
          ? {}
          : { idempotencyKey: idempotency.key, idempotencyFingerprint: this.fingerprint.of({ caseId, expected: String(expected), request: idempotency.request }) }),
      },
    );
    return Number(result.nextExpectedRevision);
  }

  private async protect(personId: string, event: RehabCaseEvent): Promise<{ type: RehabCaseEvent['type']; data: Record<string, unknown> }> {
    if (event.type !== 'ProgressNoted') return { type: event.type, data: { ...event.data } };
    return { type: event.type, data: await this.protector.protect(personId, { ...event.data }, ['note']) };
  }
}
