import { comparePositions, type Position } from '@haidang/event-store';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What runners report; one per Registry, shared by every runner of the process. */
export interface ProjectionMetrics {
  /** Follows a running projection version for the lag gauge; call the returned function when it stops. */
  track(projection: string, checkpoint: () => Position): () => void;
  eventsApplied(projection: string, count: number): void;
  deadLettered(projection: string): void;
}

export interface ProjectionMetricsOptions {
  readonly registry: Registry;
  /** The head of the store's log, read at scrape time (`PostgresEventStore.headPosition`). */
  readonly headPosition: () => Promise<Position>;
}

/**
 * Lag is an estimate: the head's global sequence minus the checkpoint's. Counting the events between
 * them would be exact but costs a scan proportional to the lag on every scrape, and needs the store's
 * tables in the projection's database (in production they may be apart); the head is one index probe
 * through the store's port. The estimate counts sequence numbers burnt by rolled-back appends, and is
 * off by the few appends in flight around the checkpoint (the log is ordered by transaction id first),
 * so it is exact on a quiet log and within a handful of events on a busy one. It is 0 exactly when
 * the checkpoint has reached the head.
 */
export function estimateLag(head: Position, checkpoint: Position): number {
  if (comparePositions(checkpoint, head) >= 0) return 0;
  const behind = head.prepare - checkpoint.prepare;
  return behind > 0n ? Number(behind) : 1;
}

export function createProjectionMetrics(options: ProjectionMetricsOptions): ProjectionMetrics {
  const tracked = new Map<string, () => Position>();
  const applied = new Counter({
    name: 'haidang_projection_events_applied_total',
    help: 'Events a projection version has applied (its checkpoint moved past them), ignored types included, dead letters excluded',
    labelNames: ['projection'],
    registers: [options.registry],
  });
  const deadLetters = new Counter({
    name: 'haidang_projection_dead_letters_total',
    help: 'Events a projection version gave up on after its handler kept failing, written to projection_dead_letters',
    labelNames: ['projection'],
    registers: [options.registry],
  });
  new Gauge({
    name: 'haidang_projection_lag_events',
    help: 'Events between the store head and a projection version checkpoint (estimate from global sequence numbers)',
    labelNames: ['projection'],
    registers: [options.registry],
    async collect() {
      if (tracked.size === 0) return;
      let head: Position;
      try {
        head = await options.headPosition();
      } catch {
        // A failed scrape of the head must not fail the whole /metrics; the last values stay.
        return;
      }
      for (const [projection, checkpoint] of tracked) this.set({ projection }, estimateLag(head, checkpoint()));
    },
  });
  const lag = options.registry.getSingleMetric('haidang_projection_lag_events') as Gauge<'projection'>;

  return {
    track(projection, checkpoint) {
      if (tracked.has(projection)) throw new Error(`Projection ${projection} is already tracked by these metrics`);
      tracked.set(projection, checkpoint);
      applied.inc({ projection }, 0);
      deadLetters.inc({ projection }, 0);
      return () => {
        if (tracked.get(projection) !== checkpoint) return;
        tracked.delete(projection);
        lag.remove({ projection });
      };
    },
    eventsApplied(projection, count) {
      if (count > 0) applied.inc({ projection }, count);
    },
    deadLettered(projection) {
      deadLetters.inc({ projection });
    },
  };
}
