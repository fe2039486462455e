import { jsonEvent, untilReadable, type EventStore, type Position, type RecordedEvent } from '@haidang/event-store';
import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn, type DataSource, type EntityManager } from 'typeorm';
import { defineProjection, type ProjectionContext, type ProjectionDefinition } from '../projection-definition';

/*
 * A projection for the integration tests that uses every way of writing: buffered upserts,
 * increments and deletes, a read of rows written earlier in the same batch, and TypeORM's
 * EntityManager directly; plus `referenceState`, the same projection as a plain fold over events,
 * the oracle the tests compare the database with.
 */

@Entity({ name: 'case_row' })
export class CaseRow {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text')
  commune!: string;

  @Column('text')
  form!: string;

  @Column('text')
  status!: string;

  @Column('integer', { name: 'progress_notes' })
  progressNotes!: number;

  @Column('date', { name: 'started_on', nullable: true })
  startedOn!: string | null;

  @Column('bigint', { name: 'last_prepare' })
  lastPrepare!: string;
}

@Entity({ name: 'commune_load' })
export class CommuneLoad {
  @PrimaryColumn('text')
  commune!: string;

  @Column('integer', { default: 0 })
  open!: number;

  @Column('integer', { default: 0 })
  closed!: number;
}

@Entity({ name: 'person_row' })
export class PersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' })
  personId!: string;

  @Column('text')
  commune!: string;

  @Column('jsonb')
  tags!: string[];
}

export const caseloadEntities = [CaseRow, CommuneLoad, PersonRow];

export type CaseloadEvents = {
  RehabCaseOpened: { caseId: string; commune: string; form: string };
  RehabStarted: { caseId: string; startedOn: string };
  ProgressNoted: { caseId: string; poison?: boolean };
  RehabCaseClosed: { caseId: string };
  PersonRegistered: { personId: string; commune: string; tags: string[] };
  PersonMoved: { personId: string; commune: string };
  PersonErased: { personId: string };
};

export interface CaseloadHooks {
  /** Runs before each handler: a test injects failures, pauses and connection drops here. */
  beforeHandle?(event: RecordedEvent, em: EntityManager, ctx: ProjectionContext): Promise<void> | void;
}

export function caseloadProjection(name: string, version: number, hooks: CaseloadHooks = {}): ProjectionDefinition {
  const before = async (event: RecordedEvent, em: EntityManager, ctx: ProjectionContext): Promise<void> => {
    await hooks.beforeHandle?.(event, em, ctx);
  };
  return defineProjection<CaseloadEvents>({
    name,
    version,
    entities: caseloadEntities,
    handlers: {
      RehabCaseOpened: async (event, em, ctx) => {
        await before(event, em, ctx);
        const { caseId, commune, form } = event.data;
        ctx.upsert(CaseRow, { caseId, commune, form, status: 'open', progressNotes: 0, startedOn: null, lastPrepare: event.position.prepare.toString() });
        ctx.increment(CommuneLoad, { commune }, { open: 1 });
      },
      RehabStarted: async (event, em, ctx) => {
        await before(event, em, ctx);
        ctx.update(
          CaseRow,
          { caseId: event.data.caseId },
          { status: 'in_rehab', startedOn: event.data.startedOn, lastPrepare: event.position.prepare.toString() },
        );
      },
      ProgressNoted: async (event, em, ctx) => {
        await before(event, em, ctx);
        if (event.data.poison) throw new Error(`cannot apply poison event ${event.id}`);
        ctx.update(
          CaseRow,
          { caseId: event.data.caseId },
          { progressNotes: 1, lastPrepare: event.position.prepare.toString() },
          { increment: ['progressNotes'] },
        );
      },
      RehabCaseClosed: async (event, em, ctx) => {
        await before(event, em, ctx);
        // Reads a row that earlier events of the same batch may have written through the buffer.
        const row = await em.findOneBy(CaseRow, { caseId: event.data.caseId });
        if (!row) throw new Error(`case ${event.data.caseId} is not in the read model`);
        ctx.delete(CaseRow, { caseId: row.caseId });
        ctx.upsert(CommuneLoad, { commune: row.commune, open: -1, closed: 1 }, { increment: ['open', 'closed'] });
      },
      PersonRegistered: async (event, em, ctx) => {
        await before(event, em, ctx);
        await em.insert(PersonRow, { personId: event.data.personId, commune: event.data.commune, tags: event.data.tags });
      },
      PersonMoved: async (event, em, ctx) => {
        await before(event, em, ctx);
        await em.update(PersonRow, { personId: event.data.personId }, { commune: event.data.commune });
      },
      PersonErased: async (event, em, ctx) => {
        await before(event, em, ctx);
        await em.delete(PersonRow, { personId: event.data.personId });
      },
    },
  });
}

export interface CaseloadRows {
  readonly cases: Record<string, unknown>[];
  readonly loads: Record<string, unknown>[];
  readonly persons: Record<string, unknown>[];
}

/** The projection as a fold over events, in the shape `readRows` returns. */
export function referenceState(events: readonly RecordedEvent[]): CaseloadRows {
  const cases = new Map<
    string,
    { case_id: string; commune: string; form: string; status: string; progress_notes: number; started_on: string | null; last_prepare: string }
  >();
  const loads = new Map<string, { commune: string; open: number; closed: number }>();
  const persons = new Map<string, { person_id: string; commune: string; tags: string[] }>();
  const load = (commune: string) => {
    const row = loads.get(commune) ?? { commune, open: 0, closed: 0 };
    loads.set(commune, row);
    return row;
  };
  // The generated history is valid: a case or person an event names exists.
  const existing = <T>(rows: Map<string, T>, id: string): T => {
    const row = rows.get(id);
    if (!row) throw new Error(`reference: ${id} does not exist`);
    return row;
  };
  for (const event of events) {
    const d = event.data as unknown as { caseId: string; commune: string; form: string; startedOn: string; personId: string; tags: string[] };
    const prepare = event.position.prepare.toString();
    switch (event.type) {
      case 'RehabCaseOpened':
        cases.set(d.caseId, {
          case_id: d.caseId,
          commune: d.commune,
          form: d.form,
          status: 'open',
          progress_notes: 0,
          started_on: null,
          last_prepare: prepare,
        });
        load(d.commune).open++;
        break;
      case 'RehabStarted':
        Object.assign(existing(cases, d.caseId), { status: 'in_rehab', started_on: d.startedOn, last_prepare: prepare });
        break;
      case 'ProgressNoted': {
        const row = existing(cases, d.caseId);
        row.progress_notes++;
        row.last_prepare = prepare;
        break;
      }
      case 'RehabCaseClosed': {
        const row = existing(cases, d.caseId);
        cases.delete(d.caseId);
        load(row.commune).open--;
        load(row.commune).closed++;
        break;
      }
      case 'PersonRegistered':
        persons.set(d.personId, { person_id: d.personId, commune: d.commune, tags: d.tags });
        break;
      case 'PersonMoved':
        existing(persons, d.personId).commune = d.commune;
        break;
      case 'PersonErased':
        persons.delete(d.personId);
        break;
    }
  }
  // Byte order, as ORDER BY … COLLATE "C" in readRows.
  const byKey = <T>(rows: Iterable<T>, key: (r: T) => string) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    cases: byKey(cases.values(), (r) => r.case_id),
    loads: byKey(loads.values(), (r) => r.commune),
    persons: byKey(persons.values(), (r) => r.person_id),
  };
}

/** Every row of the three tables of one projection version's schema, in key order. */
export async function readRows(dataSource: DataSource | EntityManager, schema: string): Promise<CaseloadRows> {
  const s = `"${schema}"`;
  // One after the other: the caller may hand in a single connection (a snapshot).
  const cases = await dataSource.query(
    `SELECT case_id, commune, form, status, progress_notes, to_char(started_on, 'YYYY-MM-DD') AS started_on, last_prepare::text AS last_prepare FROM ${s}.case_row ORDER BY case_id::text COLLATE "C"`,
  );
  const loads = await dataSource.query(`SELECT commune, open, closed FROM ${s}.commune_load ORDER BY commune COLLATE "C"`);
  const persons = await dataSource.query(`SELECT person_id, commune, tags FROM ${s}.person_row ORDER BY person_id::text COLLATE "C"`);
  return { cases, loads, persons };
}

/** Deterministic pseudo-random numbers, so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMUNES = ['06793', '06794', '06796', '06799', '06802'];

export interface GenerateOptions {
  readonly cases: number;
  readonly persons: number;
  readonly seed?: number;
  /** Events of a type no handler knows, interleaved (default 10% of the total). */
  readonly unrelated?: number;
  /** Called between appends, e.g. to pause. */
  readonly onAppend?: () => Promise<void> | void;
}

/**
 * Appends a valid history (each case: opened, started, notes, maybe closed; each person: registered,
 * maybe moved, maybe erased) with the streams interleaved in the global log, sometimes several
 * events per append. Returns the number of events appended.
 */
/**
 * Appends a random history and returns the number of events appended, once a reader of the log sees
 * all of them: readers see only what lies below the oldest transaction open anywhere on the server
 * (ADR 0002), so another test's open transaction could otherwise hide the tail from the caller's next read.
 */
export async function generateHistory(store: Pick<EventStore, 'appendToStream' | 'readAll'>, options: GenerateOptions): Promise<number> {
  const random = prng(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const scripts: { stream: string; events: { type: string; data: Record<string, unknown> }[] }[] = [];
  for (let i = 0; i < options.cases; i++) {
    const caseId = randomUUID();
    const events: { type: string; data: Record<string, unknown> }[] = [
      { type: 'RehabCaseOpened', data: { caseId, commune: pick(COMMUNES), form: pick(['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY']) } },
      { type: 'RehabStarted', data: { caseId, startedOn: `2022-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` } },
    ];
    const notes = Math.floor(random() * 8);
    for (let n = 0; n < notes; n++) events.push({ type: 'ProgressNoted', data: { caseId } });
    if (random() < 0.3) events.push({ type: 'RehabCaseClosed', data: { caseId } });
    scripts.push({ stream: `RehabCase-${caseId}`, events });
  }
  for (let i = 0; i < options.persons; i++) {
    const personId = randomUUID();
    const events: { type: string; data: Record<string, unknown> }[] = [
      { type: 'PersonRegistered', data: { personId, commune: pick(COMMUNES), tags: random() < 0.5 ? ['after-care'] : [] } },
    ];
    if (random() < 0.5) events.push({ type: 'PersonMoved', data: { personId, commune: pick(COMMUNES) } });
    if (random() < 0.2) events.push({ type: 'PersonErased', data: { personId } });
    scripts.push({ stream: `Person-${personId}`, events });
  }
  const total = scripts.reduce((n, s) => n + s.events.length, 0);
  const unrelated = options.unrelated ?? Math.round(total / 10);
  for (let i = 0; i < unrelated; i++) {
    scripts.push({
      stream: `Campaign-${randomUUID()}`,
      events: [{ type: 'CommunicationActivityHeld', data: { commune: pick(COMMUNES), attendees: Math.floor(random() * 200) } }],
    });
  }

  let appended = 0;
  let last: Position | undefined;
  const live = scripts.filter((s) => s.events.length > 0);
  while (live.length > 0) {
    const index = Math.floor(random() * live.length);
    const script = live[index] as (typeof live)[number];
    const take = random() < 0.2 ? Math.min(3, script.events.length) : 1;
    const batch = script.events.splice(0, take);
    last = (
      await store.appendToStream(
        script.stream,
        batch.map((e) => jsonEvent(e)),
      )
    ).position;
    appended += batch.length;
    if (script.events.length === 0) live.splice(index, 1);
    await options.onAppend?.();
  }
  if (last !== undefined) await untilReadable(store, last);
  return appended;
}

export async function readAllEvents(store: Pick<EventStore, 'readAll'>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
