import { resolveDatabaseUrl } from '@haidang/embedded';
import { openEventBus } from '@haidang/service-runtime';
import { referralsConfigFromEnv } from './config';
import { startReferralsService } from './referrals-service';

/** `npm run start:referrals`: configuration first (a bad one stops here), then the service. */
async function main(): Promise<void> {
  const config = referralsConfigFromEnv();
  const database = await resolveDatabaseUrl(process.env);
  const bus = await openEventBus(process.env['NATS_URL']?.trim() || undefined);
  const referrals = await startReferralsService({ databaseUrl: database.url, port: config.port, bus, overdueCheckIntervalMs: config.overdueCheckIntervalMs });
  process.stdout.write(`referrals listening on ${referrals.url} (docs ${referrals.url}/api/docs)\n`);
  const shutdown = (): void => {
    void referrals
      .stop()
      .then(() => bus.close())
      .then(() => database.stop())
      .then(
        () => process.exit(0),
        // A stop that fails must still end the process (an orchestrator waits for it): the name only.
        (error: unknown) => {
          process.stderr.write(`referrals stopped with an error: ${error instanceof Error ? error.name : 'unknown error'}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // The name only: a message could carry a connection string.
  process.stderr.write(`referrals failed to start: ${error instanceof Error ? error.name : 'unknown error'}\n`);
  process.exit(1);
});
