import { Inject, Injectable } from '@nestjs/common';
import { jsonEvent, type EventMetadata, type ExpectedRevision, type PostgresEventStore, type RecordedEvent, StreamNotFoundError } from '@haidang/event-store';
import { isErased, type PersonalDataProtector } from '@haidang/pii';
import { metadataFromContext } from '@haidang/request-context';
import type { RequestFingerprint } from '../request-fingerprint';
import { EVENT_STORE, PROTECTOR, REQUEST_FINGERPRINT } from '../tokens';
import { evolve, initialState, REFERRAL_EVENT_SCHEMA_VERSIONS, type ReferralEvent, type ReferralEventType, type ReferralState } from './domain';

export const REFERRAL_AGGREGATE = 'Referral';
export const referralStream = (referralId: string): string => `${REFERRAL_AGGREGATE}-${referralId}`;

/** An append under an Idempotency-Key: the key, what the client asked for (fingerprinted), and the key's scope. */
export interface IdempotentRequest {
  readonly key: string;
  /** The command as the client sent it (type, route, body fields): plain data, no dates decided here. */
  readonly request: unknown;
  /** Default: the acting agency. */
  readonly scope?: string;
}

export interface LoadedReferral {
  readonly state: ReferralState;
  /** Revision of the last event folded, -1 when the stream does not exist (what `ETag` / `If-Match` carry). */
  readonly version: number;
}

/**
 * The free-text fields of each event (reason, notes): they may hold personal or health data, so
 * they are encrypted with the person's key. `ReferralDeclined.reason` is a code and stays clear.
 */
export const FREE_TEXT_FIELDS: Readonly<Partial<Record<ReferralEventType, readonly string[]>>> = {
  ReferralProposed: ['reason'],
  ReferralSent: ['reason'],
  ReferralDeclined: ['note'],
  ReferralRedirected: ['note'],
  ReferralWithdrawn: ['note'],
  ReferralCompleted: ['note'],
};

/** Loads a referral by folding its stream, appends with an expected version. */
@Injectable()
export class ReferralRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(REQUEST_FINGERPRINT) private readonly fingerprint: RequestFingerprint,
  ) {}

  /**
   * `upTo`: fold only up to that revision (the state a client saw when it sent that `If-Match`).
   * Free text stays encrypted in the state: the decider only copies it (a draft's reason into
   * ReferralSent), and the protector keeps a value that is already encrypted as it is.
   */
  async load(referralId: string, upTo?: number): Promise<LoadedReferral> {
    let state = initialState();
    let version = -1;
    for (const event of await this.events(referralId)) {
      if (upTo !== undefined && Number(event.revision) > upTo) break;
      state = evolve(state, { type: event.type, data: event.data } as unknown as ReferralEvent);
      version = Number(event.revision);
    }
    return { state, version };
  }

  /** The recorded events with their metadata (for the history). */
  async events(referralId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(referralStream(referralId))) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /**
   * Appends at the expected revision, in one transaction, each event with the request's metadata
   * (actor, agency, correlation). Free text is encrypted with the person's key first (libs/pii, this
   * service's own key table), so erasing the person here shreds it.
   *
   * Idempotency: a retry under its key is recognised by a keyed fingerprint of the *request*
   * (`idempotency.request`: the command as the client sent it, with the route) with the referral and
   * the expected version, never of the events: those carry the day they were decided on (and the
   * ciphertext differs on every try), so a retry after midnight would look like another request.
   * `scope`: the key's namespace; default the acting agency (the store's), so the system's own keys
   * (the overdue checker's) pass a scope of their own that no client request shares.
   */
  async append(referralId: string, personId: string, events: readonly ReferralEvent[], expected: ExpectedRevision, idempotency?: IdempotentRequest): Promise<number> {
    const metadata: EventMetadata = metadataFromContext();
    const stored = await Promise.all(events.map((e) => this.protect(personId, e)));
    const result = await this.store.appendToStream(
      referralStream(referralId),
      stored.map((e) => jsonEvent({ type: e.type, schemaVersion: REFERRAL_EVENT_SCHEMA_VERSIONS[e.type], data: e.data, metadata })),
      {
        expectedRevision: expected,
        ...(idempotency === undefined
          ? {}
          : {
              idempotencyKey: idempotency.key,
              idempotencyFingerprint: this.fingerprint.of({ referralId, expected: String(expected), request: idempotency.request }),
              ...(idempotency.scope === undefined ? {} : { idempotencyScope: idempotency.scope }),
            }),
      },
    );
    return Number(result.nextExpectedRevision);
  }

  /** When the event at `revision` was recorded; undefined when there is none. */
  async recordedAt(referralId: string, revision: number): Promise<Date | undefined> {
    try {
      for await (const event of this.store.readStream(referralStream(referralId), { fromRevision: BigInt(revision), maxCount: 1 })) return event.created;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  /** The referral's reason in clear, or null once the person's key was erased. */
  async revealReason(state: ReferralState): Promise<string | null> {
    if (state.personId === null || state.reason === null) return null;
    const { reason } = await this.protector.reveal<{ reason: string }>(state.personId, { reason: state.reason }, ['reason']);
    return isErased(reason) ? null : reason;
  }

  private async protect(personId: string, event: ReferralEvent): Promise<{ type: ReferralEventType; data: Record<string, unknown> }> {
    const fields = FREE_TEXT_FIELDS[event.type];
    const data: Record<string, unknown> = { ...event.data };
    if (fields === undefined) return { type: event.type, data };
    return { type: event.type, data: await this.protector.protect(personId, data, fields) };
  }
}
