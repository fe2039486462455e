import type { EventStore } from '@haidang/event-store';
import type { DataSource } from 'typeorm';
import { StoreSubscriptionSource } from './event-source';
import type { ProjectionDefinition } from './projection-definition';
import type { ProjectionMetrics } from './projection-metrics';
import { ProjectionRunner, type ProjectionLogger } from './projection-runner';
import { activeVersion, dropProjectionVersion, switchActiveVersion } from './projection-versions';

/**
 * What happens to the version a rebuild replaces:
 * - 'keep' (default): its schema and checkpoint stay, frozen, so that `activateVersion` can switch
 *   back at once if the new version turns out wrong; its runner, if you pass it, is stopped. Drop it
 *   later with `dropProjectionVersion`.
 * - 'drop': its schema and checkpoint are dropped after the switch (readers still inside it finish
 *   first: DROP waits for their locks; one that resolved the old version just before the switch is
 *   retried by `withReadModel`).
 */
export type RetirePolicy = 'keep' | 'drop';

export interface RebuildOptions {
  readonly dataSource: DataSource;
  readonly store: Pick<EventStore, 'subscribeToAll' | 'headPosition'>;
  /** The new version to build; its name's active version (if any) is the one replaced. */
  readonly projection: ProjectionDefinition;
  /** The runner of the version being replaced, stopped once the new one is active. */
  readonly previousRunner?: ProjectionRunner;
  readonly retire?: RetirePolicy;
  /** Drop what an interrupted rebuild of this same version left and start from 0 (default: resume from its checkpoint). */
  readonly fresh?: boolean;
  /** Events per transaction while catching up (default 1000). */
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  readonly metrics?: ProjectionMetrics;
  readonly logger?: ProjectionLogger;
  /** Told the new version's runner once it runs, e.g. to stop it when the service shuts down mid-rebuild. */
  readonly onStarted?: (runner: ProjectionRunner) => void;
}

export interface RebuildResult {
  /** The new version's runner, left running live on the store's subscription; stop it or keep it. */
  readonly runner: ProjectionRunner;
  readonly previousVersion: number | undefined;
}

/**
 * Builds `projection` (version N+1) from position 0 of the store beside the live version N, catches
 * up to the head, then switches readers to it in one transaction (projection_versions), and retires N.
 *
 * The switch happens only when N+1's checkpoint is at or past N's (compared under a lock on N's
 * checkpoint), so readers never see the read model step back. An interrupted rebuild resumes from
 * where it stopped: its tables and checkpoint were committed together.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { dataSource, store, projection } = options;
  const previousVersion = await activeVersion(dataSource, projection.name);
  if (previousVersion === projection.version) throw new Error(`${projection.key} is already the active version; rebuild into a new version`);
  if (options.fresh) await dropProjectionVersion(dataSource, projection.name, projection.version);

  const batchSize = options.batchSize ?? 1000;
  const runner = new ProjectionRunner({
    projection,
    dataSource,
    source: new StoreSubscriptionSource(store, {
      batchSize,
      onError: (error) => options.logger?.warn({ projection: projection.key, error }, 'Store subscription failed; resubscribing'),
    }),
    batchSize,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await runner.start();
  options.onStarted?.(runner);
  try {
    for (;;) {
      await runner.waitForCheckpoint(await store.headPosition());
      const switched = await switchActiveVersion(dataSource, projection.name, projection.version);
      if (switched.switched) break;
      // The live version moved on while we caught up: follow it, then try again.
      await runner.waitForCheckpoint(switched.behindBy);
    }
  } catch (error) {
    await runner.stop();
    throw error;
  }

  await options.previousRunner?.stop();
  if (previousVersion !== undefined && (options.retire ?? 'keep') === 'drop') {
    await dropProjectionVersion(dataSource, projection.name, previousVersion);
  }
  return { runner, previousVersion };
}
