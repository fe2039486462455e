/**
 * Section (j) of `npm run bench`: what read-time chain verification costs (issue 10 §3). A stream
 * load of N events read with `verifyChain` against the same read without it, alternating on the
 * same streams in the same run; and a cold aggregate load through the service kit's AggregateStore
 * (which always verifies) against the fold it replaces (an unverified read plus the same evolve).
 */
import { Pool } from 'pg';
import type { Decider } from '@haidang/decider';
import { eventStoreMigrations, jsonEvent, PostgresEventStore } from '@haidang/event-store';
import { loadPiiKeys, PersonalDataProtector } from '@haidang/pii';
import { AggregateStore, defineAggregate, RequestFingerprint } from '@haidang/service-kit';
import { createTestDatabase } from '@haidang/testing';

export interface ReadVerifyFigure {
  readonly eventsPerStream: number;
  readonly loads: number;
  readonly plainMsPerLoad: number;
  readonly verifiedMsPerLoad: number;
  /** Verified over plain time per load (1.00: free). */
  readonly ratio: number;
  readonly plainClientCpuMicrosPerEvent: number;
  readonly verifiedClientCpuMicrosPerEvent: number;
}

export interface AggregateLoadFigure {
  readonly eventsPerStream: number;
  readonly loads: number;
  /** Baseline: an unverified readStream folded with the decider's evolve (what a cold load did before). */
  readonly foldMsPerLoad: number;
  /** AggregateStore.load with no cached state (verifies every event). */
  readonly aggregateStoreMsPerLoad: number;
  readonly ratio: number;
}

export interface ReadVerifyResult {
  readonly streams: ReadVerifyFigure[];
  readonly aggregate: AggregateLoadFigure;
}

type TallyEvent = { type: 'TallyOpened'; data: { by: string } } | { type: 'TallyCounted'; data: { step: number; note: string } };
type TallyState = { open: boolean; total: number };
const tallyDecider: Decider<never, TallyEvent, TallyState> = {
  initialState: () => ({ open: false, total: 0 }),
  decide: () => [],
  evolve: (state, event) => (event.type === 'TallyOpened' ? { ...state, open: true } : { ...state, total: state.total + event.data.step }),
};
const tally = defineAggregate({
  service: 'bench',
  name: 'Tally',
  decider: tallyDecider,
  schemaVersions: { TallyOpened: 1, TallyCounted: 1 },
  exists: (state: TallyState) => state.open,
});

/** Metadata shaped like a service's (actor, agency, correlation, causation, command, trace): the bytes a hash covers. */
const metadata = {
  actor: 'officer-0193b0c4',
  agency: '22-COMMUNE-06793',
  correlationId: '0193b0c4-0000-7000-8000-00000000c0a1',
  causationId: '0193b0c4-0000-7000-8000-00000000c0a2',
  commandId: '0193b0c4-0000-7000-8000-00000000c0a3',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

async function writeStream(store: PostgresEventStore, stream: string, events: number): Promise<void> {
  const all = [
    jsonEvent({ type: 'TallyOpened', data: { by: 'officer-0193b0c4' }, metadata }),
    ...Array.from({ length: events - 1 }, (_, n) =>
      jsonEvent({ type: 'TallyCounted', data: { step: 1, note: `Counselling session ${n}: attended, stable, next visit in two weeks.` }, metadata }),
    ),
  ];
  for (let at = 0; at < all.length; at += 500) await store.appendToStream(stream, all.slice(at, at + 500), { expectedRevision: 'any' });
}

async function timeLoads(streams: readonly string[], load: (stream: string) => Promise<number>): Promise<{ ms: number; cpuMicros: number; events: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let events = 0;
  for (const stream of streams) events += await load(stream);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMicros: used.user + used.system, events };
}

export async function benchmarkReadVerification(
  options: { sizes?: readonly number[]; eventsPerSize?: number; rounds?: number } = {},
): Promise<ReadVerifyResult> {
  const sizes = options.sizes ?? [10, 100, 1000];
  const eventsPerSize = options.eventsPerSize ?? 10_000;
  const rounds = options.rounds ?? 3;
  const database = await createTestDatabase({ migrations: eventStoreMigrations });
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const store = new PostgresEventStore({ pool, listen: false });
  try {
    const streams: ReadVerifyFigure[] = [];
    const count = async (stream: string, verifyChain: boolean): Promise<number> => {
      let n = 0;
      for await (const event of store.readStream(stream, { verifyChain })) if (event.streamId === stream) n++;
      return n;
    };
    for (const size of sizes) {
      const names = Array.from({ length: Math.max(1, Math.round(eventsPerSize / size)) }, (_, i) => `Tally-${size}-${i}`);
      for (const name of names) await writeStream(store, name, size);
      await count(names[0] as string, true); // warm: plans, JIT
      await count(names[0] as string, false);
      const totals = { plain: { ms: 0, cpuMicros: 0, events: 0 }, verified: { ms: 0, cpuMicros: 0, events: 0 } };
      for (let round = 0; round < rounds; round++) {
        // Alternating, so drift on this shared machine falls on both alike.
        for (const variant of round % 2 === 0 ? (['plain', 'verified'] as const) : (['verified', 'plain'] as const)) {
          const took = await timeLoads(names, (stream) => count(stream, variant === 'verified'));
          totals[variant].ms += took.ms;
          totals[variant].cpuMicros += took.cpuMicros;
          totals[variant].events += took.events;
        }
      }
      const loads = names.length * rounds;
      streams.push({
        eventsPerStream: size,
        loads,
        plainMsPerLoad: totals.plain.ms / loads,
        verifiedMsPerLoad: totals.verified.ms / loads,
        ratio: totals.verified.ms / totals.plain.ms,
        plainClientCpuMicrosPerEvent: totals.plain.cpuMicros / totals.plain.events,
        verifiedClientCpuMicrosPerEvent: totals.verified.cpuMicros / totals.verified.events,
      });
    }

    // A cold load through the kit: no kept state, so every event is read, verified and folded.
    const keys = loadPiiKeys();
    const aggregates = new AggregateStore(tally, {
      store,
      protector: new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys }),
      fingerprint: new RequestFingerprint(keys.personalIdIndexKey, 'bench'),
      stateCacheSize: 0,
    });
    const size = 100;
    const ids = Array.from({ length: Math.max(1, Math.round(eventsPerSize / size)) }, (_, i) => `${size}-${i}`);
    const fold = async (id: string): Promise<number> => {
      let state = tallyDecider.initialState();
      let n = 0;
      for await (const event of store.readStream(tally.streamOf(id))) {
        state = tallyDecider.evolve(state, { type: event.type, data: event.data } as unknown as TallyEvent);
        n++;
      }
      return state.open ? n : 0;
    };
    const viaStore = async (id: string): Promise<number> => (await aggregates.load(id)).version + 1;
    await fold(ids[0] as string); // warm: plans, JIT
    await viaStore(ids[0] as string);
    let foldMs = 0;
    let storeMs = 0;
    for (let round = 0; round < rounds; round++) {
      const first = round % 2 === 0;
      const a = await timeLoads(ids, first ? fold : viaStore);
      const b = await timeLoads(ids, first ? viaStore : fold);
      foldMs += first ? a.ms : b.ms;
      storeMs += first ? b.ms : a.ms;
    }
    const loads = ids.length * rounds;
    return {
      streams,
      aggregate: { eventsPerStream: size, loads, foldMsPerLoad: foldMs / loads, aggregateStoreMsPerLoad: storeMs / loads, ratio: storeMs / foldMs },
    };
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
}

/** Section (j) as `bench/run.ts` calls it: runs, prints the tables, returns the figures for the results file. */
export async function runReadVerifySection(options: { quick: boolean }): Promise<ReadVerifyResult> {
  console.log(
    '(j) read-time chain verification: a stream load of N events with verifyChain vs without (alternating, same streams), and a cold AggregateStore load',
  );
  const result = await benchmarkReadVerification(options.quick ? { eventsPerSize: 3_000, rounds: 2 } : {});
  console.table(
    result.streams.map((f) => ({
      'events/stream': f.eventsPerStream,
      loads: f.loads,
      'plain ms/load': f.plainMsPerLoad.toFixed(3),
      'verified ms/load': f.verifiedMsPerLoad.toFixed(3),
      'ratio verified/plain': f.ratio.toFixed(2),
      'client CPU µs/event plain | verified': `${f.plainClientCpuMicrosPerEvent.toFixed(1)} | ${f.verifiedClientCpuMicrosPerEvent.toFixed(1)}`,
    })),
  );
  const a = result.aggregate;
  console.table([
    {
      'events/stream': a.eventsPerStream,
      loads: a.loads,
      'unverified read + fold ms/load': a.foldMsPerLoad.toFixed(3),
      'AggregateStore.load (cold, verified) ms/load': a.aggregateStoreMsPerLoad.toFixed(3),
      ratio: a.ratio.toFixed(2),
    },
  ]);
  return result;
}
