import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore as EmmettEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { jsonEvent, PostgresEventStore } from '@haidang/event-store';

/** One cell of the side-by-side: our store and Emmett's appending the same events on the same database. */
export interface PeerAppendFigure {
  readonly writers: number;
  readonly eventsPerTransaction: number;
  readonly oursEventsPerSecond: number;
  readonly emmettEventsPerSecond: number;
  /** Ours / Emmett (goal ≥ 2.5 at 8 and 16 writers). */
  readonly ratio: number;
  /** Client (Node) CPU per event, user + system, µs. */
  readonly oursClientCpuMicrosPerEvent: number;
  readonly emmettClientCpuMicrosPerEvent: number;
}

export interface PeerReadFigure {
  readonly events: number;
  readonly streams: number;
  /** Our readAll from the start (the whole log, in commit order). */
  readonly oursReadAllEventsPerSecond: number;
  /** Our readStream of every stream, one after another. */
  readonly oursReadStreamEventsPerSecond: number;
  /** Emmett's readStream of every one of its streams, one after another (it has no public readAll). */
  readonly emmettReadStreamEventsPerSecond: number;
  /** Our readAll / Emmett's stream reads (goal ≥ 2). */
  readonly readAllRatio: number;
  readonly readStreamRatio: number;
}

const EVENT_DATA = { form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', note: 'progress reviewed with family; attending counselling' };
const EVENT_METADATA = {
  actor: 'bench',
  agency: '22-DOLISA',
  correlationId: '0193a2b0-0000-7000-8000-000000000000',
  commandId: '0193a2b0-0000-7000-8000-000000000001',
};
/** A stream takes this many events, then a writer starts a new one (as in the append bench). */
const STREAM_LENGTH = 100;

interface Rate {
  readonly eventsPerSecond: number;
  readonly cpuMicrosPerEvent: number;
}

async function measure(writers: number, durationMs: number, work: (writer: number) => Promise<number>): Promise<Rate> {
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
  return { eventsPerSecond: total / seconds, cpuMicrosPerEvent: (used.user + used.system) / total };
}

/**
 * Our PostgreSQL store and Emmett's (0.42, its own schema beside ours in the same database), each with
 * an optimistic-concurrency check on every append, writers × events per transaction; warmed, then
 * alternated twice (best of two each), so both share the machine's drift. Streams that were written
 * are returned for the read comparison.
 */
export async function benchmarkPeerAppends(
  databaseUrl: string,
  options: { durationMs: number; writerCounts: readonly number[]; batchSizes: readonly number[] },
): Promise<{ figures: PeerAppendFigure[]; ourStreams: string[]; emmettStreams: string[] }> {
  const figures: PeerAppendFigure[] = [];
  const ourStreams: string[] = [];
  const emmettStreams: string[] = [];
  for (const writers of options.writerCounts) {
    for (const batch of options.batchSizes) {
      const ourPool = new Pool({ connectionString: databaseUrl, max: writers });
      const ours = new PostgresEventStore({ pool: ourPool });
      const emmettPool = new Pool({ connectionString: databaseUrl, max: writers });
      const emmett = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool: emmettPool } });
      const ourState = new Map<number, { stream: string; expected: bigint | 'no_stream' }>();
      const oursRun = () =>
        measure(writers, options.durationMs, async (writer) => {
          const state = ourState.get(writer) ?? { stream: `Peer-${uuidv7()}`, expected: 'no_stream' as const };
          if (state.expected === 'no_stream') ourStreams.push(state.stream);
          const events = Array.from({ length: batch }, () => jsonEvent({ type: 'ProgressNoted', data: EVENT_DATA, metadata: EVENT_METADATA }));
          const result = await ours.appendToStream(state.stream, events, { expectedRevision: state.expected });
          ourState.set(
            writer,
            result.nextExpectedRevision >= BigInt(STREAM_LENGTH - 1)
              ? { stream: `Peer-${uuidv7()}`, expected: 'no_stream' }
              : { stream: state.stream, expected: result.nextExpectedRevision },
          );
          return batch;
        });
      const emmettState = new Map<number, { stream: string; expected: bigint | undefined }>();
      const emmettRun = () =>
        measure(writers, options.durationMs, async (writer) => {
          const state = emmettState.get(writer) ?? { stream: `Peer-${uuidv7()}`, expected: undefined };
          if (state.expected === undefined) emmettStreams.push(state.stream);
          const events = Array.from({ length: batch }, () => ({ type: 'ProgressNoted', data: EVENT_DATA, metadata: EVENT_METADATA }));
          const result = await emmett.appendToStream(state.stream, events, { expectedStreamVersion: state.expected ?? STREAM_DOES_NOT_EXIST });
          emmettState.set(
            writer,
            result.nextExpectedStreamVersion >= BigInt(STREAM_LENGTH)
              ? { stream: `Peer-${uuidv7()}`, expected: undefined }
              : { stream: state.stream, expected: result.nextExpectedStreamVersion },
          );
          return batch;
        });
      await oursRun();
      await emmettRun();
      const oursRates = [await oursRun()];
      const emmettRates = [await emmettRun()];
      emmettRates.push(await emmettRun());
      oursRates.push(await oursRun());
      const best = (rates: Rate[]): Rate => rates.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
      const o = best(oursRates);
      const e = best(emmettRates);
      figures.push({
        writers,
        eventsPerTransaction: batch,
        oursEventsPerSecond: o.eventsPerSecond,
        emmettEventsPerSecond: e.eventsPerSecond,
        ratio: o.eventsPerSecond / e.eventsPerSecond,
        oursClientCpuMicrosPerEvent: o.cpuMicrosPerEvent,
        emmettClientCpuMicrosPerEvent: e.cpuMicrosPerEvent,
      });
      await ours.close();
      await ourPool.end();
      await emmett.close();
      await emmettPool.end().catch(() => undefined);
    }
  }
  return { figures, ourStreams, emmettStreams };
}

/** Reads back what the append cells wrote: our readAll and stream reads against Emmett's stream reads. */
export async function benchmarkPeerReads(databaseUrl: string, ourStreams: readonly string[], emmettStreams: readonly string[]): Promise<PeerReadFigure> {
  const ourPool = new Pool({ connectionString: databaseUrl, max: 2 });
  const ours = new PostgresEventStore({ pool: ourPool, listen: false });
  const emmettPool = new Pool({ connectionString: databaseUrl, max: 2 });
  const emmett: EmmettEventStore = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool: emmettPool } });
  try {
    const rate = async (read: () => Promise<number>): Promise<{ events: number; eventsPerSecond: number }> => {
      const started = process.hrtime.bigint();
      const events = await read();
      return { events, eventsPerSecond: events / (Number(process.hrtime.bigint() - started) / 1e9) };
    };
    const readAll = await rate(async () => {
      let n = 0;
      for await (const _event of ours.readAll()) n++;
      return n;
    });
    const ourStreamReads = await rate(async () => {
      let n = 0;
      for (const stream of ourStreams) for await (const _event of ours.readStream(stream)) n++;
      return n;
    });
    const emmettStreamReads = await rate(async () => {
      let n = 0;
      for (const stream of emmettStreams) n += (await emmett.readStream(stream)).events.length;
      return n;
    });
    return {
      events: readAll.events,
      streams: ourStreams.length,
      oursReadAllEventsPerSecond: readAll.eventsPerSecond,
      oursReadStreamEventsPerSecond: ourStreamReads.eventsPerSecond,
      emmettReadStreamEventsPerSecond: emmettStreamReads.eventsPerSecond,
      readAllRatio: readAll.eventsPerSecond / emmettStreamReads.eventsPerSecond,
      readStreamRatio: ourStreamReads.eventsPerSecond / emmettStreamReads.eventsPerSecond,
    };
  } finally {
    await ours.close();
    await ourPool.end();
    await emmett.close();
    await emmettPool.end().catch(() => undefined);
  }
}
