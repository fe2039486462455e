import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { resolveDatabaseUrl } from '@haidang/embedded';
import { ensureEventStream, InProcessEventBus, JetStreamEventBus, type EventBus } from '@haidang/messaging';
import { casesConfigFromEnv } from './config';
import { startCasesService } from './cases-service';

/** `npm run start:cases`: configuration first (a bad one stops here), then the service. */
async function main(): Promise<void> {
  const config = casesConfigFromEnv();
  const database = await resolveDatabaseUrl(process.env);
  const bus = await openEventBus(process.env['NATS_URL']?.trim() || undefined);
  const cases = await startCasesService({ databaseUrl: database.url, port: config.port, bus });
  process.stdout.write(`cases listening on ${cases.url} (docs ${cases.url}/api/docs)\n`);
  const shutdown = (): void => {
    void cases
      .stop()
      .then(() => bus.close())
      .then(() => database.stop())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** JetStream when NATS_URL is set (the stream made if missing), else an in-process bus no other process sees. */
async function openEventBus(natsUrl: string | undefined): Promise<EventBus> {
  if (!natsUrl) return new InProcessEventBus();
  const connection = await connect({ servers: natsUrl });
  try {
    await ensureEventStream(await jetstreamManager(connection));
  } finally {
    await connection.close();
  }
  return new JetStreamEventBus({ servers: natsUrl });
}

main().catch((error: unknown) => {
  // The name only: a message could carry a connection string.
  process.stderr.write(`cases failed to start: ${error instanceof Error ? error.name : 'unknown error'}\n`);
  process.exit(1);
});
