import { resolveDatabaseUrl } from '@haidang/embedded';
import { openEventBus } from '@haidang/service-runtime';
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
      .then(
        () => process.exit(0),
        // A stop that fails must still end the process (an orchestrator waits for it): the name only.
        (error: unknown) => {
          process.stderr.write(`cases stopped with an error: ${error instanceof Error ? error.name : 'unknown error'}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // The name only: a message could carry a connection string.
  process.stderr.write(`cases failed to start: ${error instanceof Error ? error.name : 'unknown error'}\n`);
  process.exit(1);
});
