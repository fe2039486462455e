import type { EventStore, Position } from '@haidang/event-store';
import type { DataSource } from 'typeorm';
import { ProjectionStoppedError } from './errors';
import { SharedStoreFeed, type EventSource } from './event-source';
import type { ProjectionDefinition } from './projection-definition';
import type { ProjectionMetrics } from './projection-metrics';
import { consoleProjectionLogger, ProjectionRunner, type ProjectionLogger } from './projection-runner';
import { activeVersion } from './projection-versions';
import { rebuildProjection, type RetirePolicy } from './rebuild';

export interface ProjectionHostOptions {
  readonly dataSource: DataSource;
  readonly store: Pick<EventStore, 'subscribeToAll' | 'headPosition'>;
  /** The live source of a projection version (default: the store's own subscription). Rebuilds always read the store. */
  readonly sourceFor?: (projection: ProjectionDefinition) => EventSource;
  readonly metrics?: ProjectionMetrics;
  readonly logger?: ProjectionLogger;
  /** Events per transaction when live (default 500) and when rebuilding (default 1000). */
  readonly batchSize?: number;
  readonly rebuildBatchSize?: number;
  readonly maxAttempts?: number;
  /** What a rebuild does with the version it replaces (default 'keep'). */
  readonly retire?: RetirePolicy;
}

interface RebuildInProgress {
  runner: ProjectionRunner | undefined;
  done: Promise<void>;
}

export interface ProjectionStatus {
  readonly key: string;
  readonly state: 'running' | 'rebuilding';
  readonly checkpoint: Position;
}

/**
 * Runs a service's projections. For each definition given to `start`:
 * - no version of its name active yet, or another version active: it is built from position 0 beside
 *   whatever is active (readers keep the active one), switched to when caught up, then runs live;
 * - the same version active: it runs live from its checkpoint.
 * A deploy that bumps a projection's version therefore rebuilds it without downtime for readers.
 */
export class ProjectionHost {
  private readonly live = new Map<string, ProjectionRunner>();
  private readonly rebuilds = new Map<string, RebuildInProgress>();
  private readonly logger: ProjectionLogger;
  private stopped = false;
  /** One reading of the store for every live projection (rebuilds read on their own). */
  private readonly feed: SharedStoreFeed;

  constructor(private readonly options: ProjectionHostOptions) {
    this.logger = options.logger ?? consoleProjectionLogger;
    this.feed = new SharedStoreFeed(options.store, {
      batchSize: options.batchSize ?? 500,
      onError: (error) => this.logger.warn({ error }, 'Store subscription of the projections failed; reading again'),
    });
  }

  /** Starts every projection; resolves once live ones run and rebuilds are under way. */
  async start(projections: readonly ProjectionDefinition[]): Promise<void> {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`Projection ${p.name} given twice`);
      names.add(p.name);
    }
    this.stopped = false;
    for (const projection of projections) {
      const active = await activeVersion(this.options.dataSource, projection.name);
      if (active === projection.version) await this.runLive(projection);
      else this.rebuildInBackground(projection);
    }
  }

  /** Rebuilds `projection` (a new version of a running one) and waits until readers use it. */
  async rebuild(projection: ProjectionDefinition, options: { fresh?: boolean; retire?: RetirePolicy } = {}): Promise<void> {
    await this.startRebuild(projection, options).done;
  }

  /** Resolves when no rebuild is in progress (they may have failed: see the logs). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.rebuilds.values()].map((r) => r.done));
  }

  status(): ProjectionStatus[] {
    const live = [...this.live.values()].map((r) => ({ key: r.projection.key, state: 'running' as const, checkpoint: r.checkpoint }));
    const rebuilding = [...this.rebuilds.values()].flatMap((r) =>
      r.runner ? [{ key: r.runner.projection.key, state: 'rebuilding' as const, checkpoint: r.runner.checkpoint }] : [],
    );
    return [...live, ...rebuilding];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.rebuilds.values()].map((r) => r.runner?.stop()));
    await this.idle();
    await Promise.all([...this.live.values()].map((r) => r.stop()));
    this.live.clear();
  }

  private rebuildInBackground(projection: ProjectionDefinition): void {
    this.startRebuild(projection, {}).done.catch((error: unknown) => {
      if (error instanceof ProjectionStoppedError) return;
      this.logger.error({ projection: projection.key, error }, 'Projection rebuild failed; readers stay on the active version');
    });
  }

  private startRebuild(projection: ProjectionDefinition, options: { fresh?: boolean; retire?: RetirePolicy }): RebuildInProgress {
    if (this.rebuilds.has(projection.name)) throw new Error(`Projection ${projection.name} is already being rebuilt`);
    const entry: RebuildInProgress = { runner: undefined, done: Promise.resolve() };
    this.rebuilds.set(projection.name, entry);
    entry.done = this.runRebuild(projection, options, entry).finally(() => this.rebuilds.delete(projection.name));
    return entry;
  }

  private async runRebuild(projection: ProjectionDefinition, options: { fresh?: boolean; retire?: RetirePolicy }, entry: RebuildInProgress): Promise<void> {
    const previousRunner = this.live.get(projection.name);
    const { runner } = await rebuildProjection({
      dataSource: this.options.dataSource,
      store: this.options.store,
      projection,
      ...(previousRunner ? { previousRunner } : {}),
      retire: options.retire ?? this.options.retire ?? 'keep',
      ...(options.fresh !== undefined ? { fresh: options.fresh } : {}),
      batchSize: this.options.rebuildBatchSize ?? 1000,
      ...this.runnerOptions(),
      onStarted: (started) => {
        entry.runner = started;
        if (this.stopped) void started.stop(); // the host stopped while this rebuild was setting up
      },
    });
    // Caught up and active: hand over to the live source (the rebuild read the store directly).
    entry.runner = undefined;
    await runner.stop();
    this.live.delete(projection.name);
    if (!this.stopped) await this.runLive(projection);
  }

  private async runLive(projection: ProjectionDefinition): Promise<void> {
    const source = this.options.sourceFor?.(projection) ?? this.feed.source();
    const runner = new ProjectionRunner({
      projection,
      dataSource: this.options.dataSource,
      source,
      // Live, an event no handler of this projection reads moves the checkpoint in memory; it is
      // written with the next event that changes the read model (or after 1,000 such events).
      deferIdleCheckpoints: true,
      ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
      ...this.runnerOptions(),
    });
    await runner.start();
    this.live.set(projection.name, runner);
  }

  private runnerOptions(): { maxAttempts?: number; metrics?: ProjectionMetrics; logger?: ProjectionLogger } {
    return {
      ...(this.options.maxAttempts !== undefined ? { maxAttempts: this.options.maxAttempts } : {}),
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      logger: this.logger,
    };
  }
}
