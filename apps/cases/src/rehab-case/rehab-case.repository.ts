import { Inject, Injectable } from '@nestjs/common';
import { jsonEvent, type EventMetadata, type ExpectedRevision, type PostgresEventStore, type RecordedEvent, StreamNotFoundError } from '@haidang/event-store';
import { metadataFromContext } from '@haidang/request-context';
import { EVENT_STORE } from '../tokens';
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
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

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

  /** Appends all events in one transaction, each with the request's metadata (actor, agency, correlation). */
  async append(caseId: string, events: readonly RehabCaseEvent[], expected: ExpectedRevision, idempotencyKey?: string): Promise<number> {
    const metadata: EventMetadata = metadataFromContext();
    const result = await this.store.appendToStream(
      rehabCaseStream(caseId),
      events.map((e) => jsonEvent({ type: e.type, schemaVersion: REHAB_CASE_EVENT_SCHEMA_VERSIONS[e.type], data: { ...e.data }, metadata })),
      { expectedRevision: expected, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    );
    return Number(result.nextExpectedRevision);
  }
}
