import { inSpan, traceHeaders } from '@haidang/telemetry';
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
  /**
   * Loaded states kept per aggregate type (least recently used out first); 0 turns the cache off.
   * Default DEFAULT_STATE_CACHE_SIZE.
   */
  readonly stateCacheSize?: number;
}

/** States (of one aggregate type) an AggregateStore keeps between loads by default. */
export const DEFAULT_STATE_CACHE_SIZE = 2_000;

/**
 * Loads an aggregate by folding its stream and appends at an expected revision: the only code that
 * touches an aggregate's stream. Personal fields are encrypted with the person's key on the way in
 * and stay encrypted in the state (deciders only copy them).
 */
export class AggregateStore<TCommand extends Message, TEvent extends Message, TState> {
  /**
   * The last state loaded per stream and the revision it was folded to (the log is append-only, so
   * a state at revision r plus the events after r is the state now). A load reads only the events
   * after the kept revision: one round trip still, so a state is never older than the database, but
   * no refolding of the whole stream. States hold personal fields encrypted, as loaded.
   */
  private readonly states = new Map<string, Loaded<TState>>();
  private readonly stateCacheSize: number;

  constructor(
    readonly aggregate: AggregateDefinition<TCommand, TEvent, TState>,
    private readonly dependencies: AggregateStoreDependencies,
  ) {
    this.stateCacheSize = dependencies.stateCacheSize ?? DEFAULT_STATE_CACHE_SIZE;
  }

  /** `upTo`: fold only up to that revision (the state a client saw when it sent that `If-Match`). */
  async load(id: string, upTo?: number): Promise<Loaded<TState>> {
    const { decider } = this.aggregate;
    const stream = this.aggregate.streamOf(id);
    const kept = this.states.get(stream);
    // A replay asks for an older state than the one kept: fold that one from the start.
    const start = kept !== undefined && (upTo === undefined || kept.version <= upTo) ? kept : undefined;
    let state = start?.state ?? decider.initialState();
    let version = start?.version ?? -1;
    for (const event of await this.readEvents(stream, version + 1)) {
      if (upTo !== undefined && Number(event.revision) > upTo) break;
      state = decider.evolve(state, { type: event.type, data: event.data } as unknown as TEvent);
      version = Number(event.revision);
    }
    if (version >= 0 && (kept === undefined || version >= kept.version)) this.keep(stream, { state, version });
    return { state, version };
  }

  private keep(stream: string, loaded: Loaded<TState>): void {
    if (this.stateCacheSize <= 0) return;
    this.states.delete(stream); // re-inserted last: Map order is the recency order
    this.states.set(stream, loaded);
    if (this.states.size > this.stateCacheSize) this.states.delete(this.states.keys().next().value as string);
  }

  /** The recorded events with their metadata (for histories). */
  async events(id: string): Promise<RecordedEvent[]> {
    return this.readEvents(this.aggregate.streamOf(id), 0);
  }

  /**
   * Every read of an aggregate's stream verifies its chain (issue 10 §3): each event read against
   * its stored content and the stored hash before it, and the stream's head. A state kept in the
   * cache was verified when it was folded, so each event is checked once per process; a later
   * change to an event already folded shows in the integrity check, or at the next cold load.
   * A break throws StreamIntegrityError (answered 503 `integrity-check-failed`), so neither a read
   * nor a command is served from a stream that does not verify.
   */
  private async readEvents(stream: string, fromRevision: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const options = fromRevision > 0 ? { fromRevision: BigInt(fromRevision), verifyChain: true } : { verifyChain: true };
      for await (const event of this.dependencies.store.readStream(stream, options)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /** When the event at `revision` was recorded; undefined when there is none. */
  async recordedAt(id: string, revision: number): Promise<Date | undefined> {
    try {
      for await (const event of this.dependencies.store.readStream(this.aggregate.streamOf(id), {
        fromRevision: BigInt(revision),
        maxCount: 1,
        verifyChain: true,
      }))
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
    // The trace travels with the event (relay, consumers, projections continue it): ids only.
    const metadata = { ...metadataFromContext(), ...traceHeaders() };
    const stream = this.aggregate.streamOf(id);
    const stored = await Promise.all(events.map((event) => this.protect(personId, event)));
    // A request about a person is fingerprinted under a key of that person's, which erasure shreds (issue 10).
    const fingerprint =
      idempotency === undefined
        ? undefined
        : await this.dependencies.fingerprint.forSubject(personId, this.dependencies.protector, {
            stream,
            expected: String(expected),
            request: idempotency.request,
          });
    const result = await inSpan('append', { attributes: { 'haidang.stream': stream, 'haidang.events': events.length } }, () =>
      this.dependencies.store.appendToStream(
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
                idempotencyFingerprint: fingerprint as string,
                ...(idempotency.scope === undefined ? {} : { idempotencyScope: idempotency.scope }),
              }),
        },
      ),
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
