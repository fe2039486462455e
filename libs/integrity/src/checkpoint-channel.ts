import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { SignedCheckpoint } from './checkpoint';

export const INTEGRITY_STREAM = 'INTEGRITY';
export const INTEGRITY_SUBJECT_PREFIX = 'integrity';

export interface CheckpointChannelOptions {
  readonly servers: string;
  /** Default `INTEGRITY`; tests use their own. */
  readonly stream?: string;
  /** Default `integrity`: checkpoints go to `<prefix>.<service>.checkpoint`. */
  readonly subjectPrefix?: string;
}

export function checkpointSubject(service: string, prefix: string = INTEGRITY_SUBJECT_PREFIX): string {
  return `${prefix}.${service}.checkpoint`;
}

/**
 * Where the copy outside the database lives: a JetStream stream of its own (`integrity.>`, file
 * storage, never expiring), so that checkpoints survive whoever rewrites the database. Publishing
 * is de-duplicated by `<service>:<log>:<sequence>`, so re-sending an unconfirmed one is safe.
 */
export class CheckpointChannel {
  private connection: NatsConnection | undefined;
  private readonly stream: string;
  private readonly prefix: string;

  constructor(private readonly options: CheckpointChannelOptions) {
    this.stream = options.stream ?? INTEGRITY_STREAM;
    this.prefix = options.subjectPrefix ?? INTEGRITY_SUBJECT_PREFIX;
  }

  async publish(service: string, log: string, sequence: number, checkpoint: SignedCheckpoint): Promise<void> {
    const connection = await this.connect();
    await jetstream(connection).publish(checkpointSubject(service, this.prefix), JSON.stringify(checkpoint), { msgID: `${service}:${log}:${sequence}` });
  }

  /** The latest checkpoint published for the service, or undefined when there is none. */
  async latest(service: string): Promise<SignedCheckpoint | undefined> {
    const connection = await this.connect();
    const manager = await jetstreamManager(connection);
    try {
      const message = await manager.streams.getMessage(this.stream, { last_by_subj: checkpointSubject(service, this.prefix) });
      if (!message) return undefined;
      const parsed = JSON.parse(new TextDecoder().decode(message.data)) as Partial<SignedCheckpoint>;
      return typeof parsed.payload === 'string' && typeof parsed.signature === 'string' ? { payload: parsed.payload, signature: parsed.signature } : undefined;
    } catch (error) {
      if (error instanceof Error && /no message found|not found/i.test(error.message)) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<NatsConnection> {
    if (this.connection && !this.connection.isClosed()) return this.connection;
    const connection = await connect({ servers: this.options.servers, reconnect: false, timeout: 2_000 });
    try {
      const manager = await jetstreamManager(connection);
      const subjects = [`${this.prefix}.>`];
      try {
        await manager.streams.info(this.stream);
      } catch {
        await manager.streams.add({ name: this.stream, subjects, storage: StorageType.File, max_msgs_per_subject: -1 });
      }
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.connection = connection;
    return connection;
  }
}
