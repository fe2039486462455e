import { resolveDatabaseUrl } from '@haidang/embedded';
import type { EventBus } from '@haidang/messaging';
import { startTelemetry } from '@haidang/telemetry';
import { openEventBus } from './event-transport';

export interface ServiceProcessContext {
  readonly databaseUrl: string;
  readonly bus: EventBus;
}

/**
 * `npm run start:<service>`: one service, one process. Its configuration is read first (a bad one
 * stops there, before anything opens); then this opens the database (DATABASE_URL, else the embedded default)
 * and the event bus (NATS_URL, else in-process), starts the service, and stops everything in
 * reverse order on SIGINT/SIGTERM. Errors are reported by name only: a message could carry a
 * connection string.
 */
export function runServiceProcess<Config>(
  name: string,
  configure: () => Config,
  start: (config: Config, context: ServiceProcessContext) => Promise<{ readonly url: string; stop(): Promise<void> }>,
): void {
  const fail = (what: string, error: unknown): never => {
    process.stderr.write(`${name} ${what}: ${error instanceof Error ? error.name : 'unknown error'}\n`);
    process.exit(1);
  };
  const run = async (): Promise<void> => {
    const config = configure();
    // OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise the tracing API stays a no-op.
    const telemetry = startTelemetry({ service: name });
    const database = await resolveDatabaseUrl(process.env);
    const bus = await openEventBus(process.env['NATS_URL']?.trim() || undefined);
    const service = await start(config, { databaseUrl: database.url, bus });
    process.stdout.write(`${name} listening on ${service.url} (docs ${service.url}/api/docs)\n`);
    const shutdown = (): void => {
      void service
        .stop()
        .then(() => bus.close())
        .then(() => database.stop())
        .then(() => telemetry.shutdown())
        .then(
          () => process.exit(0),
          // A stop that fails must still end the process (an orchestrator waits for it).
          (error: unknown) => fail('stopped with an error', error),
        );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  };
  run().catch((error: unknown) => fail('failed to start', error));
}
