/**
 * Graceful shutdown (issue 16 §4): `npm run start:cases` as its own process, under a steady load of
 * registrations, gets SIGTERM. Readiness fails first while requests are still served; then it stops
 * listening, finishes what it took, stops the relay after its batch and exits 0. No request it
 * accepted fails (the only failures allowed are connections it refused after it stopped
 * listening), every registration it answered 201 is in the log, and after a restart JetStream holds
 * each event exactly once.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { loadOrCreateDevKeys, signDevToken } from '@haidang/auth';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { spawnNodeScript, type NodeProcess } from '../support/node-process';

jest.setTimeout(180_000);

const WORKERS = 6;

interface Outcome {
  readonly key: string;
  readonly status?: number;
  readonly id?: string;
  /** The network error's code when no answer came (ECONNREFUSED: the server was no longer listening). */
  readonly error?: string;
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return cause?.code ?? cause?.name ?? (error as Error).name;
}

describe('graceful shutdown under load', () => {
  let nats: NatsServerHandle;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const started: NodeProcess[] = [];

  const startCases = async (): Promise<string> => {
    const cases = spawnNodeScript('apps/cases/src/main.ts', env);
    started.push(cases);
    return (await cases.waitFor(/cases listening on (http:\/\/\S+)/, 60_000))[1] as string;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    database = await createTestDatabase();
    env = {
      ...process.env,
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '10000',
      // The load is one principal registering as fast as it can: above the per-principal budgets.
      RATE_LIMIT_PER_PRINCIPAL: '1000000',
      RATE_LIMIT_PERSON_REGISTRATIONS: '1000000',
      JWT_PUBLIC_KEY: loadOrCreateDevKeys().publicKeyPem,
    };
  });

  afterAll(async () => {
    for (const process of started) await process.stop(0);
    await nats?.destroy();
    await database?.drop();
  });

  it('fails readiness first, drains, exits 0, loses and duplicates nothing', async () => {
    const url = await startCases();
    const cases = started[0] as NodeProcess;
    const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const outcomes: Outcome[] = [];
    let stopLoad = false;
    let sequence = 0;
    const worker = async (): Promise<void> => {
      while (!stopLoad) {
        const key = `shutdown-${process.pid}-${sequence++}`;
        try {
          const response = await fetch(`${url}/api/v1/persons`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body: JSON.stringify({
              fullName: `Người thử ${sequence}`,
              dateOfBirth: '1990-01-01',
              sex: 'MALE',
              residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1' },
            }),
          });
          const body = (await response.json()) as { id?: string };
          outcomes.push({ key, status: response.status, ...(body.id === undefined ? {} : { id: body.id }) });
        } catch (error) {
          outcomes.push({ key, error: errorCode(error) });
          if (errorCode(error) === 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, () => worker()));
    await waitFor(async () => outcomes.filter((o) => o.status === 201).length >= 30, { timeoutMs: 30_000, description: 'load running' });

    const exited = new Promise<number | null>((resolve) => cases.child.once('exit', (code) => resolve(code)));
    cases.child.kill('SIGTERM');
    // Readiness goes first (within the 1.5 s the process keeps serving after the signal).
    let readiness: { status: number; type?: string } = { status: 0 };
    await waitFor(
      async () => {
        const response = await fetch(`${url}/health/ready`);
        readiness = { status: response.status, ...((await response.json()) as { type?: string }) };
        return response.status !== 200;
      },
      { timeoutMs: 1_200, intervalMs: 25, description: 'readiness failing after SIGTERM' },
    );
    expect(readiness).toEqual(expect.objectContaining({ status: 503, type: 'urn:haidang:problem:shutting-down' }));
    const servedWhileDraining = outcomes.length;
    expect(await exited).toBe(0);
    stopLoad = true;
    await load;

    const answered = outcomes.filter((o) => o.status !== undefined);
    expect(outcomes.length).toBeGreaterThan(servedWhileDraining); // requests kept being served after readiness failed
    expect(answered.every((o) => o.status === 201)).toBe(true);
    // Nothing in progress was cut: the service answered every request it was working on.
    expect(cases.output()).not.toContain('were cut at shutdown');
    // The only failures: connections refused once it stopped listening, or reset when the listener
    // closed before reading them (the kernel's accept queue, a connection that had sent nothing yet):
    // requests the service never saw, which a client retries with the same Idempotency-Key.
    expect(
      [...new Set(outcomes.filter((o) => o.error !== undefined).map((o) => o.error))].filter((code) => code !== 'ECONNREFUSED' && code !== 'ECONNRESET'),
    ).toEqual([]);

    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    try {
      const stored = await pg.query<{ id: string }>(`SELECT DISTINCT stream_name AS id FROM es_events WHERE stream_name LIKE 'Person-%'`);
      const persons = new Set(stored.rows.map((row) => row.id.slice('Person-'.length)));
      for (const outcome of answered) expect(persons.has(outcome.id as string)).toBe(true);

      // A new process publishes what the stopped relay had not: each event once in JetStream.
      await startCases();
      const events = Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        await waitFor(async () => (await jsm.streams.info('EVENTS', { subjects_filter: 'evt.>' })).state.messages >= events, {
          timeoutMs: 30_000,
          description: 'every stored event published',
        });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const info = await jsm.streams.info('EVENTS', { subjects_filter: 'evt.>' });
        const published = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
        expect(published).toBe(events);
      } finally {
        await nc.close();
      }
    } finally {
      await pg.end();
    }
  });
});
