import { comparePositions, eventStoreMigrations, jsonEvent, PostgresEventStore, START, type Position, type RecordedEvent } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { StoreSubscriptionSource, type DeliverBatch, type EventSource } from './event-source';
import { projectionsMigrations } from './migrations/projections.migrations';
import type { ProjectionDefinition } from './projection-definition';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics';
import { ProjectionRunner, type ProjectionLogger, type ProjectionRunnerOptions } from './projection-runner';
import {
  caseloadEntities,
  caseloadProjection,
  generateHistory,
  readAllEvents,
  readRows,
  referenceState,
  type CaseloadHooks,
} from './test-fixtures/caseload.fixture';

jest.setTimeout(60_000);

/** A source the test drives by hand: what a JetStream consumer redelivering at will looks like. */
class ManualSource implements EventSource {
  private deliver: DeliverBatch | undefined;
  from: Position | undefined;
  async start(from: Position, deliver: DeliverBatch): Promise<void> {
    this.from = from;
    this.deliver = deliver;
  }
  async stop(): Promise<void> {
    this.deliver = undefined;
  }
  push(events: readonly RecordedEvent[]): Promise<void> {
    if (!this.deliver) throw new Error('not started');
    return this.deliver(events);
  }
}

interface Env {
  db: TestDatabase;
  store: PostgresEventStore;
  dataSource: DataSource;
  logs: string[];
  logger: ProjectionLogger;
  runners: ProjectionRunner[];
}

let env: Env;

beforeEach(async () => {
  const db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...projectionsMigrations] });
  const dataSource = new DataSource({ type: 'postgres', url: db.url, entities: caseloadEntities, poolSize: 5, logging: false });
  await dataSource.initialize();
  const logs: string[] = [];
  env = {
    db,
    store: new PostgresEventStore({ pool: db.pool }),
    dataSource,
    logs,
    logger: { warn: (_c, m) => logs.push(`warn: ${m}`), error: (_c, m) => logs.push(`error: ${m}`) },
    runners: [],
  };
});

afterEach(async () => {
  await Promise.all(env.runners.map((r) => r.stop()));
  await env.dataSource.destroy();
  await env.store.close();
  await env.db.drop();
});

function runner(projection: ProjectionDefinition, options: Partial<ProjectionRunnerOptions> = {}): ProjectionRunner {
  const r = new ProjectionRunner({
    projection,
    dataSource: env.dataSource,
    source: new StoreSubscriptionSource(env.store, { batchSize: 500, pollIntervalMs: 50 }),
    logger: env.logger,
    retryDelayMs: 1,
    transientRetryDelayMs: 20,
    ...options,
  });
  env.runners.push(r);
  return r;
}

/**
 * Until the checkpoint is the head. The head is read twice because a projection transaction in
 * progress holds an xid, which hides appends committed after it from every reader of the log
 * (they are delivered once it ends): a head read during a batch can be short of the real one.
 */
async function caughtUp(r: ProjectionRunner): Promise<void> {
  for (;;) {
    const head = await env.store.headPosition();
    await r.waitForCheckpoint(head, { timeoutMs: 30_000 });
    if (comparePositions(await env.store.headPosition(), head) === 0) return;
  }
}

async function storedCheckpoint(key: string): Promise<Position> {
  const { rows } = await env.db.pool.query<{ commit: string; prepare: string }>(
    'SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = $1',
    [key],
  );
  const row = rows[0];
  if (!row) throw new Error(`no checkpoint for ${key}`);
  return { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
}

function upTo(events: readonly RecordedEvent[], position: Position): RecordedEvent[] {
  return events.filter((e) => e.position.commit < position.commit || (e.position.commit === position.commit && e.position.prepare <= position.prepare));
}

function countingMetrics(): ProjectionMetrics & { applied: number; deadLetters: number } {
  const m = {
    applied: 0,
    deadLetters: 0,
    track: () => () => undefined,
    eventsApplied: (_p: string, n: number) => {
      m.applied += n;
    },
    deadLettered: () => {
      m.deadLetters++;
    },
  };
  return m;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ProjectionRunner', () => {
  it('applies every event in order, and events of types without a handler only move the checkpoint', async () => {
    const total = await generateHistory(env.store, { cases: 80, persons: 40 });
    const metrics = countingMetrics();
    const r = runner(caseloadProjection('caseload', 1), { metrics, batchSize: 100 });
    await r.start();
    await caughtUp(r);

    const events = await readAllEvents(env.store);
    expect(events).toHaveLength(total);
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
    expect(await storedCheckpoint('caseload.v1')).toEqual(events[events.length - 1]?.position);
    expect(metrics.applied).toBe(total); // unhandled CommunicationActivityHeld events included
    expect(events.some((e) => e.type === 'CommunicationActivityHeld')).toBe(true);
  });

  it('keeps applying live appends after catching up', async () => {
    await generateHistory(env.store, { cases: 20, persons: 10, seed: 2 });
    const r = runner(caseloadProjection('caseload', 1));
    await r.start();
    await caughtUp(r);
    await generateHistory(env.store, { cases: 20, persons: 10, seed: 3 });
    await caughtUp(r);
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(await readAllEvents(env.store)));
  });

  it('changes nothing when events are delivered again or replayed from an older position', async () => {
    await generateHistory(env.store, { cases: 60, persons: 30, seed: 4 });
    const events = await readAllEvents(env.store);
    const projection = caseloadProjection('caseload', 1);
    const first = new ManualSource();
    const second = new ManualSource();
    const secondMetrics = countingMetrics();
    const a = runner(projection, { source: first });
    const b = runner(projection, { source: second, metrics: secondMetrics });
    await a.start();
    await b.start(); // b believes it is at 0 and will try to apply everything again
    expect(second.from).toEqual(START);

    await first.push(events.slice(0, 200));
    await first.push(events.slice(0, 200)); // the same batch again
    await first.push(events.slice(150, 300)); // overlapping
    const e300 = events[300] as RecordedEvent;
    await first.push([e300, e300, events[301] as RecordedEvent]); // the same event twice in one batch
    const applied = events.slice(0, 302);
    const before = await readRows(env.dataSource, 'proj_caseload_v1');
    expect(before).toEqual(referenceState(applied));
    const checkpoint = await storedCheckpoint('caseload.v1');
    expect(checkpoint).toEqual(events[301]?.position);

    // Replay from position 0 through a runner whose own idea of the checkpoint is stale: each batch
    // reaches the database, and the checkpoint read under lock there makes it a no-op.
    for (let i = 0; i < 302; i += 50) await second.push(events.slice(i, Math.min(i + 50, 302)));
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(before);
    expect(await storedCheckpoint('caseload.v1')).toEqual(checkpoint);
    expect(secondMetrics.applied).toBe(0);

    // And it goes on correctly from the stored checkpoint.
    await second.push(events.slice(250));
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
    expect(secondMetrics.applied).toBe(events.length - 302);
  });

  it('writes a poison event to the dead letters in the transaction that moves past it, and goes on', async () => {
    await generateHistory(env.store, { cases: 40, persons: 10, seed: 5 });
    const openCase = referenceState(await readAllEvents(env.store)).cases[0]?.case_id as string;
    const poison = await env.store.appendToStream(`RehabCase-${openCase}`, jsonEvent({ type: 'ProgressNoted', data: { caseId: openCase, poison: true } }));
    await generateHistory(env.store, { cases: 40, persons: 10, seed: 6 }); // later events
    const registry = new Registry();
    const metrics = createProjectionMetrics({ registry, headPosition: () => env.store.headPosition() });
    const r = runner(caseloadProjection('caseload', 1), { maxAttempts: 2, metrics });
    await r.start();
    await caughtUp(r);

    const events = await readAllEvents(env.store);
    const poisonEvent = events.find((e) => e.position.prepare === poison.position.prepare) as RecordedEvent;
    const { rows } = await env.db.pool.query(
      'SELECT projection, event_id, prepare::text AS prepare, stream_id, event_type, error, attempts FROM projection_dead_letters',
    );
    expect(rows).toEqual([
      {
        projection: 'caseload.v1',
        event_id: poisonEvent.id,
        prepare: poisonEvent.position.prepare.toString(),
        stream_id: `RehabCase-${openCase}`,
        event_type: 'ProgressNoted',
        error: expect.stringContaining('cannot apply poison event'),
        attempts: 2,
      },
    ]);
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events.filter((e) => e.id !== poisonEvent.id)));
    expect(await storedCheckpoint('caseload.v1')).toEqual(events[events.length - 1]?.position);
    expect(await registry.getSingleMetricAsString('haidang_projection_dead_letters_total')).toContain('{projection="caseload.v1"} 1');
    expect(env.logs).toContainEqual(expect.stringContaining('projection_dead_letters'));
  });

  it('tries a poison event arriving live exactly maxAttempts times', async () => {
    await generateHistory(env.store, { cases: 5, persons: 0, seed: 12 });
    let tries = 0;
    const r = runner(
      caseloadProjection('caseload', 1, {
        beforeHandle: (event) => {
          if ((event.data as { poison?: boolean }).poison) tries++;
        },
      }),
      { maxAttempts: 3 },
    );
    await r.start();
    await caughtUp(r);
    const openCase = referenceState(await readAllEvents(env.store)).cases[0]?.case_id as string;
    await env.store.appendToStream(`RehabCase-${openCase}`, jsonEvent({ type: 'ProgressNoted', data: { caseId: openCase, poison: true } }));
    await caughtUp(r);
    expect(tries).toBe(3);
    const { rows } = await env.db.pool.query('SELECT attempts FROM projection_dead_letters');
    expect(rows).toEqual([{ attempts: 3 }]);
  });

  it('rolls a whole batch back when a handler fails in its middle, and applies each event exactly once on retry', async () => {
    await generateHistory(env.store, { cases: 100, persons: 30, seed: 7 });
    const events = await readAllEvents(env.store);
    const target = events.slice(250).find((e) => e.type === 'ProgressNoted') as RecordedEvent;
    let failed = false;
    const seen = new Map<string, number>();
    const hooks: CaseloadHooks = {
      beforeHandle: (event) => {
        seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
        if (event.id === target.id && !failed) {
          failed = true;
          throw new Error('flaky downstream lookup');
        }
      },
    };
    const r = runner(caseloadProjection('caseload', 1, hooks), { batchSize: 500 });
    await r.start();
    await caughtUp(r);

    // Increments (progress notes, commune counts) would show any event applied twice.
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
    expect((await env.db.pool.query('SELECT 1 FROM projection_dead_letters')).rowCount).toBe(0);
    const firstHandled = events.find((e) => e.type !== 'CommunicationActivityHeld') as RecordedEvent;
    expect(seen.get(firstHandled.id)).toBe(2); // the batch's first event ran in the failed attempt too
  });

  it('leaves no partial state when the connection drops in the middle of a batch', async () => {
    await generateHistory(env.store, { cases: 100, persons: 30, seed: 8 });
    const events = await readAllEvents(env.store);
    const target = events.slice(300).find((e) => e.type === 'RehabCaseClosed') as RecordedEvent;
    const reached = deferred();
    const gate = deferred();
    let paused = false;
    const hooks: CaseloadHooks = {
      beforeHandle: async (event, em) => {
        if (event.id !== target.id || paused) return;
        paused = true;
        await em.query('SELECT 1'); // sends the batch's buffered writes: they sit uncommitted now
        reached.resolve();
        await gate.promise;
      },
    };
    const r = runner(caseloadProjection('caseload', 1, hooks), { batchSize: 1000 });
    await r.start();
    await reached.promise;

    // Mid-batch, another connection sees the last committed state, consistent with its checkpoint.
    const client = await env.db.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const { rows } = await client.query<{ commit: string; prepare: string }>(
        `SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = 'caseload.v1'`,
      );
      const checkpoint = { commit: BigInt(rows[0]?.commit ?? 0), prepare: BigInt(rows[0]?.prepare ?? 0) };
      const snapshot = await readRows({ query: (sql: string) => client.query(sql).then((r) => r.rows) } as unknown as DataSource, 'proj_caseload_v1');
      await client.query('COMMIT');
      expect(checkpoint.prepare < target.position.prepare).toBe(true);
      expect(snapshot).toEqual(referenceState(upTo(events, checkpoint)));
    } finally {
      client.release();
    }

    const killed = await env.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
    );
    expect(killed.rowCount).toBe(1);
    gate.resolve();
    await caughtUp(r);

    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
    expect((await env.db.pool.query('SELECT 1 FROM projection_dead_letters')).rowCount).toBe(0);
    expect(env.logs).toContainEqual(expect.stringContaining('failed on the database; retrying'));
  });

  it('resumes from its checkpoint after a stop', async () => {
    await generateHistory(env.store, { cases: 60, persons: 20, seed: 9 });
    const events = await readAllEvents(env.store);
    const first = runner(caseloadProjection('caseload', 1), { batchSize: 50 });
    await first.start();
    await first.waitForCheckpoint((events[120] as RecordedEvent).position, { timeoutMs: 30_000 });
    await first.stop();
    const stoppedAt = await storedCheckpoint('caseload.v1');
    expect(stoppedAt.prepare < (events[events.length - 1] as RecordedEvent).position.prepare).toBe(true);

    const second = runner(caseloadProjection('caseload', 1), { batchSize: 50 });
    await second.start();
    expect(second.checkpoint).toEqual(stoppedAt);
    await caughtUp(second);
    expect(await readRows(env.dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
  });

  it('reports the backlog as lag until it is applied', async () => {
    const total = await generateHistory(env.store, { cases: 30, persons: 10, seed: 10 });
    const registry = new Registry();
    const metrics = createProjectionMetrics({ registry, headPosition: () => env.store.headPosition() });
    const gate = deferred();
    const r = runner(caseloadProjection('caseload', 1, { beforeHandle: () => gate.promise }), { metrics });
    await r.start();

    const lag = async (): Promise<string> => (await registry.getSingleMetricAsString('haidang_projection_lag_events')) ?? '';
    expect(await lag()).toContain(`haidang_projection_lag_events{projection="caseload.v1"} ${total}`);
    gate.resolve();
    await caughtUp(r);
    expect(await lag()).toContain('haidang_projection_lag_events{projection="caseload.v1"} 0');
    await generateHistory(env.store, { cases: 0, persons: 0, unrelated: 5, seed: 11 });
    await caughtUp(r);
    expect(await registry.getSingleMetricAsString('haidang_projection_events_applied_total')).toContain(`{projection="caseload.v1"} ${total + 5}`);
  });

  it('refuses to start when its entities are not registered in the DataSource', async () => {
    const bare = new DataSource({ type: 'postgres', url: env.db.url, entities: [], logging: false });
    await bare.initialize();
    try {
      const r = new ProjectionRunner({ projection: caseloadProjection('caseload', 1), dataSource: bare, source: new ManualSource() });
      await expect(r.start()).rejects.toThrow(/CaseRow is not registered in the DataSource/);
      expect(r.state).toBe('stopped');
    } finally {
      await bare.destroy();
    }
  });
});
