import { Pool } from 'pg';
import { domainErrors, type Decider } from '@haidang/decider';
import { eventStoreMigrations, IdempotencyKeyReusedError, PostgresEventStore } from '@haidang/event-store';
import { loadPiiKeys, PersonalDataProtector, piiMigrations } from '@haidang/pii';
import { runWithContext, type Principal } from '@haidang/request-context';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { CommandPipeline, defineAggregate, httpErrorTable, problemOf, RequestFingerprint, type CommandResult } from './index';

jest.setTimeout(60_000);

// A small aggregate: a note about a person, opened once, amended while open, closed once.
type NoteEvent =
  | { type: 'NoteOpened'; data: { personId: string; text: string; on: string } }
  | { type: 'NoteAmended'; data: { text: string; on: string } }
  | { type: 'NoteClosed'; data: { on: string } };
type NoteCommand =
  | { type: 'OpenNote'; data: { personId: string; text: string } }
  | { type: 'AmendNote'; data: { text: string } }
  | { type: 'CloseNote'; data: Record<string, never> };
type NoteState = { status: 'none' | 'open' | 'closed'; personId: string | null; amendments: number };
const noteError = domainErrors({ 'note-exists': 'the note is already open', 'note-closed': 'a closed note cannot change' });
const today = (now: Date): string => now.toISOString().slice(0, 10);
const noteDecider: Decider<NoteCommand, NoteEvent, NoteState> = {
  initialState: () => ({ status: 'none', personId: null, amendments: 0 }),
  decide(command, state, now) {
    switch (command.type) {
      case 'OpenNote':
        return state.status !== 'none' ? noteError('note-exists') : [{ type: 'NoteOpened', data: { ...command.data, on: today(now) } }];
      case 'AmendNote':
        return state.status === 'closed' ? noteError('note-closed') : [{ type: 'NoteAmended', data: { text: command.data.text, on: today(now) } }];
      case 'CloseNote':
        return state.status === 'closed' ? [] : [{ type: 'NoteClosed', data: { on: today(now) } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'NoteOpened':
        return { ...state, status: 'open', personId: event.data.personId };
      case 'NoteAmended':
        return { ...state, amendments: state.amendments + 1 };
      case 'NoteClosed':
        return { ...state, status: 'closed' };
    }
  },
};
const note = defineAggregate({
  service: 'kit-test',
  name: 'CaseNote',
  decider: noteDecider,
  schemaVersions: { NoteOpened: 1, NoteAmended: 2, NoteClosed: 1 },
  personalFields: { NoteOpened: ['text'], NoteAmended: ['text'] },
  exists: (state) => state.status !== 'none',
  personOf: (_id, state) => state.personId,
});
const errors = httpErrorTable({ resource: 'case note', exampleVersion: 0, statuses: { 'note-exists': 409 } });

const principal: Principal = {
  sub: 'officer-1',
  agency: { code: '22-DOLISA', province: '22', type: 'DOLISA' },
  roles: ['caseworker'],
  jurisdiction: ['22'],
} as unknown as Principal;
const asOfficer = <T>(work: () => Promise<T>): Promise<T> => runWithContext({ correlationId: 'corr-1', principal }, work);

describe('CommandPipeline (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let pipeline: CommandPipeline;
  let now: Date;
  const personId = '0b3c5a1e-4c1d-4b8e-9f00-aaaaaaaaaaaa';

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...piiMigrations] });
    pool = new Pool({ connectionString: database.url, max: 4 });
    const keys = loadPiiKeys();
    now = new Date('2026-03-02T03:00:00Z');
    pipeline = new CommandPipeline({
      store: new PostgresEventStore({ pool, listen: false }),
      protector: new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys }),
      fingerprint: new RequestFingerprint(keys.personalIdIndexKey, 'kit-test'),
      clock: () => now,
    });
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const eventCount = async (): Promise<number> => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
  const open = (id: string, key?: string): Promise<CommandResult> =>
    asOfficer(() =>
      pipeline.execute(note, id, { type: 'OpenNote', data: { personId, text: 'Nguyễn Văn An relapsed' } }, { expected: 'new', idempotencyKey: key }),
    );

  it('creates, encrypts personal fields before they reach the log, and dates events by the injected clock', async () => {
    const id = pipeline.storeOf(note).newId('22-DOLISA', undefined);
    const created = await open(id);
    expect(created).toMatchObject({ ok: true, id, version: 0 });
    const { rows } = await pool.query<{ data: unknown; metadata: { actor?: string; agency?: string; correlationId?: string }; schema_version: number }>(
      'SELECT data, metadata, schema_version FROM es_events',
    );
    expect(JSON.stringify(rows[0]?.data)).not.toContain('Nguy');
    expect(rows[0]?.data).toMatchObject({ personId, on: '2026-03-02' });
    expect(rows[0]?.metadata).toMatchObject({ agency: '22-DOLISA', correlationId: 'corr-1' });
    const amended = await asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'more' } }, { expected: { version: 0 } }));
    expect(amended).toMatchObject({ ok: true, version: 1 });
    expect(
      (await pool.query<{ schema_version: number }>('SELECT schema_version FROM es_events ORDER BY global_position')).rows.map((r) => r.schema_version),
    ).toEqual([1, 2]);
  });

  it('loads nothing for a create under a freshly drawn id (freshId), and still refuses a stream that exists', async () => {
    const store = new PostgresEventStore({ pool, listen: false });
    const keys = loadPiiKeys();
    const own = new CommandPipeline({
      store,
      protector: new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys }),
      fingerprint: new RequestFingerprint(keys.personalIdIndexKey, 'kit-test'),
      clock: () => now,
    });
    const reads = jest.spyOn(store, 'readStream');
    const id = own.storeOf(note).newId('22-DOLISA', undefined);
    const command = { type: 'OpenNote' as const, data: { personId, text: 'first' } };
    expect(await asOfficer(() => own.execute(note, id, command, { expected: 'new', freshId: true }))).toMatchObject({ ok: true, id, version: 0 });
    expect(reads).not.toHaveBeenCalled();
    // The id was not fresh after all: the append refuses the existing stream and nothing is added.
    await expect(asOfficer(() => own.execute(note, id, command, { expected: 'new', freshId: true }))).rejects.toThrow();
    expect(await eventCount()).toBe(1);
    // Under an Idempotency-Key the stream is always loaded (a retry lands on it).
    await asOfficer(() => own.execute(note, own.storeOf(note).newId('22-DOLISA', 'k-1'), command, { expected: 'new', idempotencyKey: 'k-1', freshId: true }));
    expect(reads).toHaveBeenCalled();
  });

  it('refuses a stale version and a missing aggregate, and appends nothing', async () => {
    const id = pipeline.storeOf(note).newId('22-DOLISA', undefined);
    await open(id);
    await asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'a' } }, { expected: { version: 0 } }));
    const stale = await asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'b' } }, { expected: { version: 0 } }));
    expect(stale).toEqual({ ok: false, failure: { kind: 'version-conflict' } });
    const ahead = await asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'b' } }, { expected: { version: 7 } }));
    expect(ahead).toEqual({ ok: false, failure: { kind: 'version-conflict' } });
    const missing = await asOfficer(() =>
      pipeline.execute(note, '5f1c2d3e-0000-4000-8000-000000000000', { type: 'AmendNote', data: { text: 'b' } }, { expected: { version: 0 } }),
    );
    expect(missing).toEqual({ ok: false, failure: { kind: 'not-found' } });
    expect(await eventCount()).toBe(2);
  });

  it('answers a retry under its Idempotency-Key with the first result, and refuses the key for another request', async () => {
    const id = pipeline.storeOf(note).newId('22-DOLISA', 'retry-key-0001');
    expect(id).toBe(pipeline.storeOf(note).newId('22-DOLISA', 'retry-key-0001'));
    expect(await open(id, 'retry-key-0001')).toMatchObject({ ok: true, version: 0 });
    // The retry of the create (ciphertext differs on every try) is recognised by the request.
    expect(await open(id, 'retry-key-0001')).toMatchObject({ ok: true, version: 0 });
    const amend = (text: string): Promise<CommandResult> =>
      asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text } }, { expected: { version: 0 }, idempotencyKey: 'amend-key-0001' }));
    expect(await amend('first')).toMatchObject({ ok: true, version: 1 });
    now = new Date('2026-03-03T03:00:00Z'); // the next day: the retry still matches
    expect(await amend('first')).toMatchObject({ ok: true, version: 1 });
    await expect(amend('another')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await eventCount()).toBe(2);
  });

  it('turns a broken rule into a typed refusal, hides what authorize hides, and appends nothing for an empty decision', async () => {
    const id = pipeline.storeOf(note).newId('22-DOLISA', undefined);
    await open(id);
    const again = await open(id);
    expect(again).toMatchObject({ ok: false, failure: { kind: 'rejected', error: { code: 'note-exists' } } });
    expect(problemOf((again as { ok: false; failure: never }).failure, errors).getStatus()).toBe(409);
    const hidden = await asOfficer(() =>
      pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'x' } }, { expected: { version: 0 }, authorize: () => false }),
    );
    expect(hidden).toEqual({ ok: false, failure: { kind: 'not-found' } });
    await asOfficer(() => pipeline.execute(note, id, { type: 'CloseNote', data: {} }, { expected: { version: 0 } }));
    const closedTwice = await asOfficer(() => pipeline.execute(note, id, { type: 'CloseNote', data: {} }, { expected: { version: 1 } }));
    expect(closedTwice).toMatchObject({ ok: true, version: 1, events: [] });
    const refused = await asOfficer(() => pipeline.execute(note, id, { type: 'AmendNote', data: { text: 'x' } }, { expected: { version: 1 } }));
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'rejected', error: { code: 'note-closed' } } });
    expect(problemOf((refused as { ok: false; failure: never }).failure, errors).getStatus()).toBe(422);
    expect(await eventCount()).toBe(2);
  });

  it('runs precheck for a new decision only, never for a retry', async () => {
    const id = pipeline.storeOf(note).newId('22-DOLISA', undefined);
    await open(id);
    const prechecked: number[] = [];
    const amend = (): Promise<CommandResult> =>
      asOfficer(() =>
        pipeline.execute(
          note,
          id,
          { type: 'AmendNote', data: { text: 't' } },
          { expected: { version: 0 }, idempotencyKey: 'pre-key-0001', precheck: async () => void prechecked.push(1) },
        ),
      );
    await amend();
    await amend();
    expect(prechecked).toEqual([1]);
  });
});
