import { randomBytes } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { resolveTestNatsUrl } from './servers';

export interface CreateTestJetStreamOptions {
  /** Server to use; default NATS_URL, else a local nats-server. */
  readonly url?: string;
  /**
   * Create the stream (subjects `<subjectPrefix>.>`) now (default true). Pass false when the code
   * under test creates the stream itself: the names are then only reserved, and cleanup still
   * deletes whatever stream got that name.
   */
  readonly create?: boolean;
  /** Extra stream settings for the stream created here. */
  readonly streamConfig?: Partial<Omit<StreamConfig, 'name' | 'subjects'>>;
}

/** A stream name and subject space no other test file or concurrent run uses. */
export interface TestJetStream {
  readonly url: string;
  /** `T_<RANDOM>`. */
  readonly streamName: string;
  /** `t<random>.evt`: stands in for the `evt` of `evt.<service>.<Aggregate>.<EventType>`. */
  readonly subjectPrefix: string;
  /** Deletes the stream (and so its consumers). Idempotent. */
  cleanup(): Promise<void>;
}

export async function createTestJetStream(options: CreateTestJetStreamOptions = {}): Promise<TestJetStream> {
  const url = await resolveTestNatsUrl(options.url);
  const id = randomBytes(6).toString('hex');
  const streamName = `T_${id.toUpperCase()}`;
  const subjectPrefix = `t${id}.evt`;

  if (options.create ?? true) {
    await withManager(url, (jsm) => jsm.streams.add({ ...options.streamConfig, name: streamName, subjects: [`${subjectPrefix}.>`] }));
  }

  let cleaned: Promise<void> | undefined;
  return {
    url,
    streamName,
    subjectPrefix,
    cleanup() {
      cleaned ??= withManager(url, async (jsm) => {
        try {
          await jsm.streams.delete(streamName);
        } catch (error) {
          // Never created (create: false and the code under test did not either), or already gone.
          if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
        }
      });
      return cleaned;
    },
  };
}

type Manager = Awaited<ReturnType<typeof jetstreamManager>>;

// A connection per call, closed at once: the test holds no NATS connection open on our behalf, which
// Jest would report as an open handle.
async function withManager<T>(url: string, use: (jsm: Manager) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    return await use(await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}
