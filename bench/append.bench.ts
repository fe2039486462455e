import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { jsonEvent, PostgresEventStore } from '@haidang/event-store';
import { v7 as uuidv7 } from 'uuid';

export interface AppendFigure {
  readonly writers: number;
  readonly eventsPerTransaction: number;
  readonly storeEventsPerSecond: number;
  readonly rawInsertEventsPerSecond: number;
  readonly ratio: number;
  /** Node CPU time per event (user + system), store path and raw path: the client's share of the cost. */
  readonly storeClientCpuMicrosPerEvent: number;
  readonly rawClientCpuMicrosPerEvent: number;
  /** PostgreSQL backend CPU per event (user + system, from /proc; undefined when the server is not on this machine). */
  readonly storeServerCpuMicrosPerEvent: number | undefined;
  readonly rawServerCpuMicrosPerEvent: number | undefined;
  /** What the path's backends were doing, sampled from pg_stat_activity every few ms: `wait event (state)` → share. */
  readonly storeWaits: Readonly<Record<string, number>>;
  readonly rawWaits: Readonly<Record<string, number>>;
}

interface Rate {
  readonly eventsPerSecond: number;
  readonly cpuMicrosPerEvent: number;
  readonly serverCpuMicrosPerEvent: number | undefined;
  readonly waits: Record<string, number>;
}

const EVENT_DATA = { form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', note: 'progress reviewed with family; attending counselling' };
const RAW_HASH = Buffer.alloc(32, 7);
const EVENT_METADATA = {
  actor: 'bench',
  agency: '22-DOLISA',
  correlationId: '0193a2b0-0000-7000-8000-000000000000',
  commandId: '0193a2b0-0000-7000-8000-000000000001',
};

/** CPU time (user + system) of a local process in µs, from /proc; undefined where it cannot be read. */
function processCpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    return fields ? (Number(fields[11]) + Number(fields[12])) * 10_000 : undefined; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

/**
 * Watches the backends of one application name while a measurement runs: samples their wait
 * events every few ms (not the store's listening connection's: it is idle by design), and their
 * CPU time at both ends (its included: its NOTIFYs are part of the store's cost).
 */
async function watchBackends(monitor: Pool, applicationName: string): Promise<() => Promise<Pick<Rate, 'waits'> & { serverCpuMicros: number | undefined }>> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  const pids = rows.map((r) => r.pid);
  const cpuNow = (): number | undefined => {
    const each = pids.map(processCpuMicros);
    return each.includes(undefined) ? undefined : (each as number[]).reduce((a, b) => a + b, 0);
  };
  const cpuBefore = cpuNow();
  const counts = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows: states } = await monitor.query<{ what: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' (' || state || ')' AS what
           FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() AND query !~ '^(LISTEN|NOTIFY) '`,
        [applicationName],
      );
      for (const { what } of states) counts.set(what, (counts.get(what) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    sampling = false;
    await sampler;
    const cpuAfter = cpuNow();
    const samples = [...counts.values()].reduce((a, b) => a + b, 0);
    const waits = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([what, n]) => [what, n / samples]));
    return { waits, serverCpuMicros: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
  };
}

/** Runs `work` on `writers` concurrent loops for `durationMs`; returns events per second and client and server CPU per event. */
async function measure(
  writers: number,
  durationMs: number,
  work: (writer: number) => Promise<number>,
  backends: { monitor: Pool; applicationName: string },
): Promise<Rate> {
  const watched = await watchBackends(backends.monitor, backends.applicationName);
  const deadline = Date.now() + durationMs;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let events = 0;
      while (Date.now() < deadline) events += await work(writer);
      return events;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const total = counts.reduce((a, b) => a + b, 0);
  const used = process.cpuUsage(cpu);
  const { waits, serverCpuMicros } = await watched();
  return {
    eventsPerSecond: total / seconds,
    cpuMicrosPerEvent: (used.user + used.system) / total,
    serverCpuMicrosPerEvent: serverCpuMicros === undefined ? undefined : serverCpuMicros / total,
    waits,
  };
}

function rawInsertSql(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const p = 3 + i * 6;
    // json, as the store sends and the column holds (a jsonb cast would make the baseline re-parse and re-print).
    return `($1, $2::bigint + ${i}, $${p}::uuid, $${p + 1}, $${p + 2}::integer, $${p + 3}::json, $${p + 4}::json, $${p + 5}::bytea)`;
  });
  return `INSERT INTO bench_raw_events (stream_name, stream_revision, event_id, event_type, schema_version, data, metadata, hash) VALUES ${rows.join(', ')}`;
}

/**
 * Our append (expected-revision check, stream row, events, one statement) against a raw
 * parameterized INSERT of the same rows into an identical copy of the events table, on the same
 * database, back to back, for each writer count and batch size.
 */
export async function benchmarkAppends(
  databaseUrl: string,
  options: { durationMs: number; writerCounts: number[]; batchSizes: number[] },
): Promise<AppendFigure[]> {
  const monitor = new Pool({ connectionString: databaseUrl, max: 1 });
  await monitor.query('DROP TABLE IF EXISTS bench_raw_events');
  await monitor.query('CREATE TABLE bench_raw_events (LIKE es_events INCLUDING ALL)');

  const figures: AppendFigure[] = [];
  for (const writers of options.writerCounts) {
    for (const batch of options.batchSizes) {
      // A pool each, named, so that their backends can be watched apart.
      const rawPool = new Pool({ connectionString: databaseUrl, max: writers, application_name: 'bench-raw-insert' });
      const pool = new Pool({ connectionString: databaseUrl, max: writers, application_name: 'bench-store-append' });
      // As in production: readers elsewhere are woken by NOTIFY after appends (its listening connection is watched too).
      const store = new PostgresEventStore({ pool });
      const rawText = rawInsertSql(batch);
      const rawRevisions = new Map<number, { stream: string; next: number }>();
      const raw = () =>
        measure(
          writers,
          options.durationMs,
          async (writer) => {
            const state = rawRevisions.get(writer) ?? { stream: `Bench-${uuidv7()}`, next: 0 };
            const values: unknown[] = [state.stream, state.next];
            // The same row, its 32-byte hash included (the store chains it in SQL; the baseline just stores one).
            for (let i = 0; i < batch; i++) values.push(uuidv7(), 'ProgressNoted', 1, JSON.stringify(EVENT_DATA), JSON.stringify(EVENT_METADATA), RAW_HASH);
            await rawPool.query({ name: `bench_raw_${batch}`, text: rawText, values });
            state.next += batch;
            rawRevisions.set(writer, state.next >= 100 ? { stream: `Bench-${uuidv7()}`, next: 0 } : state);
            return batch;
          },
          { monitor, applicationName: 'bench-raw-insert' },
        );
      const storeRevisions = new Map<number, { stream: string; expected: bigint | 'no_stream' }>();
      const append = () =>
        measure(
          writers,
          options.durationMs,
          async (writer) => {
            const state = storeRevisions.get(writer) ?? { stream: `Bench-${uuidv7()}`, expected: 'no_stream' as const };
            const events = Array.from({ length: batch }, () => jsonEvent({ type: 'ProgressNoted', data: EVENT_DATA, metadata: EVENT_METADATA }));
            const result = await store.appendToStream(state.stream, events, { expectedRevision: state.expected });
            storeRevisions.set(
              writer,
              result.nextExpectedRevision >= 99n
                ? { stream: `Bench-${uuidv7()}`, expected: 'no_stream' }
                : { stream: state.stream, expected: result.nextExpectedRevision },
            );
            return batch;
          },
          { monitor, applicationName: 'bench-store-append' },
        );
      // Warm both paths (prepared statements, caches), then alternate to share the machine's drift.
      await raw();
      await append();
      const rawRates = [await raw()];
      const storeRates = [await append()];
      rawRates.push(await raw());
      storeRates.push(await append());
      const best = (rates: Rate[]): Rate => rates.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
      const rawBest = best(rawRates);
      const storeBest = best(storeRates);
      figures.push({
        writers,
        eventsPerTransaction: batch,
        storeEventsPerSecond: storeBest.eventsPerSecond,
        rawInsertEventsPerSecond: rawBest.eventsPerSecond,
        ratio: storeBest.eventsPerSecond / rawBest.eventsPerSecond,
        storeClientCpuMicrosPerEvent: storeBest.cpuMicrosPerEvent,
        rawClientCpuMicrosPerEvent: rawBest.cpuMicrosPerEvent,
        storeServerCpuMicrosPerEvent: storeBest.serverCpuMicrosPerEvent,
        rawServerCpuMicrosPerEvent: rawBest.serverCpuMicrosPerEvent,
        storeWaits: storeBest.waits,
        rawWaits: rawBest.waits,
      });
      await store.close();
      await pool.end();
      await rawPool.end();
    }
  }
  await monitor.end();
  return figures;
}

/** Events per second of a full `readAll` from the start, against a raw `SELECT *` of the same table. */
export async function benchmarkReplay(
  databaseUrl: string,
): Promise<{ events: number; eventsPerSecond: number; rawSelectEventsPerSecond: number; ratio: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const store = new PostgresEventStore({ pool, listen: false });
  let started = process.hrtime.bigint();
  let events = 0;
  for await (const _event of store.readAll()) events++;
  const eventsPerSecond = events / (Number(process.hrtime.bigint() - started) / 1e9);
  started = process.hrtime.bigint();
  const { rowCount } = await pool.query('SELECT * FROM es_events ORDER BY transaction_id, global_position');
  const rawSelectEventsPerSecond = (rowCount ?? 0) / (Number(process.hrtime.bigint() - started) / 1e9);
  await store.close();
  await pool.end();
  return { events, eventsPerSecond, rawSelectEventsPerSecond, ratio: eventsPerSecond / rawSelectEventsPerSecond };
}
