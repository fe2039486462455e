import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { integrationSubjectsFor } from '../outbox/integration-subjects';

export interface EventStreamOptions {
  /** Default `EVENTS`. */
  readonly name?: string;
  /** Domain-event subjects (default `['evt.>']`). */
  readonly subjects?: readonly string[];
  /**
   * Integration-event subjects the stream also holds (the outbox publishes there). Default: derived
   * from `subjects`, `evt.>` → `int.>` and `t1a2b.evt.>` → `t1a2b.int.>`; `[]` for none.
   */
  readonly integrationSubjects?: readonly string[];
  /** Default 'file'. 'memory' loses everything on a broker restart (the relay then re-sends it all). */
  readonly storage?: 'file' | 'memory';
  /** Window in which a repeated `Nats-Msg-Id` is dropped as a duplicate (default 2 minutes). */
  readonly duplicateWindowMs?: number;
  /** Default 1; 3 in a production cluster. */
  readonly replicas?: number;
  /** Messages older than this are removed (default: kept for ever). */
  readonly maxAgeMs?: number;
  readonly description?: string;
}

export const DEFAULT_EVENT_STREAM = 'EVENTS';
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the event stream, or brings an existing one to this configuration. Safe to call from
 * every replica at start-up. Storage cannot change on an existing stream: that is an error here
 * rather than a silent mismatch.
 *
 * Subjects are only ever added to an existing stream, never taken away: during a rolling update a
 * replica of the previous version (which knows only `evt.>`) must not remove the `int.>` the new
 * version added, nor the other way round. Removing a subject space is an operator's decision.
 */
export async function ensureEventStream(jsm: JetStreamManager, options: EventStreamOptions = {}): Promise<StreamInfo> {
  const name = options.name ?? DEFAULT_EVENT_STREAM;
  const storage = options.storage === 'memory' ? StorageType.Memory : StorageType.File;
  const eventSubjects = options.subjects ?? ['evt.>'];
  const wantedSubjects = unique([...eventSubjects, ...(options.integrationSubjects ?? integrationSubjectsFor(eventSubjects))]);
  const wanted = {
    subjects: wantedSubjects,
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
    max_age: nanos(options.maxAgeMs ?? 0),
    ...(options.description === undefined ? {} : { description: options.description }),
  };

  let existing: StreamInfo | undefined;
  try {
    existing = await jsm.streams.info(name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
  }

  if (!existing) {
    try {
      return await jsm.streams.add({
        name,
        storage,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        ...wanted,
      });
    } catch (error) {
      // Another replica created it between our info and add: fall through to the update.
      existing = await jsm.streams.info(name).catch(() => {
        throw error;
      });
    }
  }

  if (existing.config.storage !== storage) {
    throw new Error(`Stream ${name} exists with ${existing.config.storage} storage; ${storage} was asked for (storage cannot be changed)`);
  }
  const current = existing.config;
  const currentSubjects = current.subjects ?? [];
  const missing = wanted.subjects.filter((subject) => !currentSubjects.includes(subject));
  // On an existing stream, only what was asked for changes: replicas, retention and the duplicate
  // window are the operator's once it exists (a service start must not undo a move to 3 replicas).
  const asked = {
    ...(options.duplicateWindowMs === undefined ? {} : { duplicate_window: wanted.duplicate_window }),
    ...(options.replicas === undefined ? {} : { num_replicas: wanted.num_replicas }),
    ...(options.maxAgeMs === undefined ? {} : { max_age: wanted.max_age }),
    ...(options.description === undefined ? {} : { description: options.description }),
  };
  const same = missing.length === 0 && Object.entries(asked).every(([key, value]) => (current as unknown as Record<string, unknown>)[key] === value);
  if (same) return existing;
  return jsm.streams.update(name, { ...current, ...asked, subjects: [...currentSubjects, ...missing] });
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Creates the stream when it is missing (a broker whose store was lost, a new cluster), and leaves
 * an existing one alone: its settings are the operator's (replicas, limits) once it exists. Returns
 * true when it had to create it.
 */
export async function recreateEventStreamIfMissing(jsm: JetStreamManager, options: EventStreamOptions = {}): Promise<boolean> {
  try {
    await jsm.streams.info(options.name ?? DEFAULT_EVENT_STREAM);
    return false;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
  }
  await ensureEventStream(jsm, options);
  return true;
}
