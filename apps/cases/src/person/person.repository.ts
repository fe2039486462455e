import { Inject, Injectable } from '@nestjs/common';
import { jsonEvent, type EventMetadata, type ExpectedRevision, type PostgresEventStore, StreamNotFoundError } from '@haidang/event-store';
import { metadataFromContext } from '@haidang/request-context';
import { EVENT_STORE } from '../tokens';
import { evolvePerson, initialPersonState, personStream, type PersonEvent, type PersonState } from './person.decider';

export interface LoadedPerson {
  readonly state: PersonState;
  /** Revision of the last event, -1 when the stream does not exist (what `ETag` / `If-Match` carry). */
  readonly version: number;
}

/** Loads a person by folding its stream, appends with an expected version. */
@Injectable()
export class PersonRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  async load(personId: string): Promise<LoadedPerson> {
    let state = initialPersonState;
    let version = -1;
    try {
      for await (const event of this.store.readStream(personStream(personId))) {
        state = evolvePerson(state, { type: event.type, data: event.data } as unknown as PersonEvent);
        version = Number(event.revision);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { state, version };
  }

  async append(personId: string, events: readonly PersonEvent[], expected: ExpectedRevision, idempotencyKey?: string): Promise<number> {
    const metadata: EventMetadata = metadataFromContext();
    const result = await this.store.appendToStream(
      personStream(personId),
      events.map((e) => jsonEvent({ type: e.type, data: { ...e.data }, metadata })),
      { expectedRevision: expected, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    );
    return Number(result.nextExpectedRevision);
  }
}
