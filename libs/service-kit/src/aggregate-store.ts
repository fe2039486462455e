import type { Message } from '@haidang/decider';
import { jsonEvent, StreamNotFoundError, type EventStore, type ExpectedRevision, type RecordedEvent } from '@haidang/event-store';
import type { PersonalDataProtector } from '@haidang/pii';
import { metadataFromContext } from '@haidang/request-context';
import type { AggregateDefinition } from './aggregate';
import { deterministicUuid } from './deterministic-id';
import type { RequestFingerprint } from './request-fingerprint';

export interface Loaded<TState> {
  readonly state: TState;
  /** Revision of the last event folded, -1 when the stream does not exist (what `ETag` / `If-Match` carry). */
  readonly version: number;
}

/** An append under an Idempotency-Key: the key, what the client asked for (fingerprinted), and the key's scope. */
export interface IdempotentRequest {
  readonly key: string;
  /** The command as the client sent it: plain data, nothing decided or derived here. */
  readonly request: unknown;
  /** Default: the acting agency (the store's). The system's own keys take a scope no client shares. */
  readonly scope?: string;
}

export interface AggregateStoreDependencies {
  /** The event-store port: the PostgreSQL adapter, or any other that passes the contract suite. */
  readonly store: EventStore;
  readonly protector: PersonalDataProtector;
  readonly fingerprint: RequestFingerprint;
}

/**
 * Loads an aggregate by folding its stream and appends at an expected revision: the only code that
 * touches an aggregate's stream. Personal fields are encrypted with the person's key on the way in
 * and stay encrypted in the state (deciders only copy them).
 */
export class AggregateStore<TCommand extends Message, TEvent extends Message, TState> {
  constructor(
    readonly aggregate: AggregateDefinition<TCommand, TEvent, TState>,
    private readonly dependencies: AggregateStoreDependencies,
  ) {}

  /** `upTo`: fold only up to that revision (the state a client saw when it sent that `If-Match`). */
  async load(id: string, upTo?: number): Promise<Loaded<TState>> {
    const { decider } = this.aggregate;
    let state = decider.initialState();
    let version = -1;
    for (const event of await this.events(id)) {
      if (upTo !== undefined && Number(event.revision) > upTo) break;
      state = decider.evolve(state, { type: event.type, data: event.data } as unknown as TEvent);
      version = Number(event.revision);
    }
    return { state, version };
  }

  /** The recorded events with their metadata (for histories). */
  async events(id: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.dependencies.store.readStream(this.aggregate.streamOf(id))) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /** When the event at `revision` was recorded; undefined when there is none. */
  async recordedAt(id: string, revision: number): Promise<Date | undefined> {
    try {
      for await (const event of this.dependencies.store.readStream(this.aggregate.streamOf(id), { fromRevision: BigInt(revision), maxCount: 1 }))
        return event.created;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  /**
   * Appends all events in one transaction at the expected revision, each with the request's
   * metadata (actor, agency, correlation, causation, command). A retry under its Idempotency-Key is
   * recognised by a keyed fingerprint of the request as sent with the stream and expected revision,
   * never of the events: their ciphertext differs on every try, and what a service derives or dates
   * may have moved since. Returns the new version.
   */
  async append(id: string, personId: string | null, events: readonly TEvent[], expected: ExpectedRevision, idempotency?: IdempotentRequest): Promise<number> {
    const metadata = metadataFromContext();
    const stream = this.aggregate.streamOf(id);
    const stored = await Promise.all(events.map((event) => this.protect(personId, event)));
    const result = await this.dependencies.store.appendToStream(
      stream,
      stored.map((event) =>
        jsonEvent({ type: event.type, schemaVersion: this.aggregate.schemaVersions[event.type as TEvent['type']], data: event.data, metadata }),
      ),
      {
        expectedRevision: expected,
        ...(idempotency === undefined
          ? {}
          : {
              idempotencyKey: idempotency.key,
              idempotencyFingerprint: this.dependencies.fingerprint.of({ stream, expected: String(expected), request: idempotency.request }),
              ...(idempotency.scope === undefined ? {} : { idempotencyScope: idempotency.scope }),
            }),
      },
    );
    return Number(result.nextExpectedRevision);
  }

  /** A new aggregate's id: derived from the agency and its Idempotency-Key (a retry finds the same stream), else random. */
  newId(agencyCode: string, idempotencyKey: string | undefined): string {
    return idempotencyKey === undefined ? crypto.randomUUID() : deterministicUuid(this.aggregate.idNamespace, agencyCode, idempotencyKey);
  }

  private async protect(personId: string | null, event: TEvent): Promise<{ type: string; data: Record<string, unknown> }> {
    const data: Record<string, unknown> = { ...(event.data as Record<string, unknown>) };
    const fields = this.aggregate.personalFields[event.type as TEvent['type']];
    if (fields === undefined || fields.length === 0) return { type: event.type, data };
    // Personal data with no person to key it would be stored in the clear: refuse instead.
    if (personId === null) throw new Error(`${this.aggregate.name} event ${event.type} carries personal fields but names no person`);
    return { type: event.type, data: await this.dependencies.protector.protect(personId, data, fields) };
  }
}
