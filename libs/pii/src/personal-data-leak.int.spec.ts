import { eventStoreMigrations, jsonEvent, PostgresEventStore, untilReadable, type Position } from '@haidang/event-store';
import { runWithContext } from '@haidang/request-context';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { PersonalIdIndex } from './blind-index';
import { KeyEncryptionKeys } from './keys';
import { piiMigrations } from './migrations/pii.migrations';
import { PERSONAL_FIELDS, PersonalDataProtector } from './personal-data-protector';
import { ERASED, redactSql } from './redact';

/**
 * THE leak test (invariant 6): persons with known unique names and citizen IDs go through the
 * protector into a real event store and a read model; a pg_dump of the whole database must not
 * contain any of them in any spelling. A control value stored in the clear proves the scan works.
 */

const run = promisify(execFile);
const PG_DUMP = ['/usr/lib/postgresql/15/bin/pg_dump'].find((p) => existsSync(p)) ?? 'pg_dump';

const GIVEN = ['Xuyến', 'Thoả', 'Khuê', 'Diệp', 'Quỳnh', 'Hưởng', 'Đức', 'Nguyệt'];
const FAMILY = ['Lường', 'Hoàng', 'Đặng', 'Nông', 'Triệu', 'Vương'];
/** A Vietnamese-looking name made unique by a random syllable, so a hit can only come from us. */
function uniqueName(i: number): string {
  const tag = randomBytes(4)
    .toString('hex')
    .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)] as string);
  return `${FAMILY[i % FAMILY.length]} Thị ${GIVEN[i % GIVEN.length]} Ở${tag}`;
}
const personalIdOf = () => `0${String(randomInt(10 ** 10, 10 ** 11 - 1))}`; // 12 digits, leading 0 like a real CCCD

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** Every spelling of a value that could land in a dump: NFC, NFD, without diacritics, JSON-escaped, hex (bytea). */
function spellings(value: string): string[] {
  const forms = new Set<string>();
  for (const base of [value.normalize('NFC'), value.normalize('NFD'), stripDiacritics(value)]) {
    for (const form of [base, base.toLowerCase(), base.toUpperCase()]) {
      forms.add(form);
      forms.add(
        JSON.stringify(form)
          .slice(1, -1)
          .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
      forms.add(Buffer.from(form, 'utf8').toString('hex'));
    }
  }
  return [...forms];
}

function findIn(dump: Buffer, needles: readonly string[]): string[] {
  // Byte search, case-insensitive for hex: bytea dumps are lower-case hex.
  return needles.filter((needle) => dump.includes(Buffer.from(needle, 'utf8')) || dump.includes(Buffer.from(needle.toLowerCase(), 'utf8')));
}

async function dumps(url: string): Promise<Buffer[]> {
  const options = { encoding: 'buffer' as const, maxBuffer: 256 * 1024 * 1024 };
  const [dataOnly, full] = await Promise.all([
    run(PG_DUMP, ['--data-only', '--no-owner', `--dbname=${url}`], options),
    run(PG_DUMP, ['--no-owner', `--dbname=${url}`], options),
  ]);
  return [dataOnly.stdout, full.stdout];
}

const principal = {
  sub: 'officer-7',
  agency: { code: '22-COMMUNE-06793', type: 'COMMUNE' as const, province: '22' },
  roles: ['caseworker' as const],
  jurisdiction: ['06793'],
};

describe('no personal data in the clear in the database', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let protector: PersonalDataProtector;
  const index = new PersonalIdIndex(randomBytes(32));
  const persons = Array.from({ length: 6 }, (_, i) => ({
    subjectId: `Person-${randomUUID()}`,
    fullName: uniqueName(i),
    personalId: personalIdOf(),
    dateOfBirth: `19${80 + i}-0${1 + i}-1${i}`,
    phone: `09${String(randomInt(10 ** 7, 10 ** 8 - 1))}`,
    address: `Tổ ${i + 3}, khu Hoà Lạc ${randomBytes(3).toString('hex')}, phường Cẩm Phả`,
    photoRefs: [`photos/${randomUUID()}.jpg`],
  }));

  beforeAll(async () => {
    db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...piiMigrations] });
    await db.pool.query(`
      CREATE TABLE person_directory (person_id text PRIMARY KEY, commune text NOT NULL, personal_id_index text NOT NULL,
        full_name text NOT NULL, phone text, case_count integer NOT NULL);
      CREATE TABLE caseload_by_commune (commune text PRIMARY KEY, persons integer NOT NULL);
      CREATE TABLE leak_control (value text NOT NULL);`);
    store = new PostgresEventStore({ pool: db.pool });
    protector = new PersonalDataProtector({ pool: db.pool, keyEncryptionKeys: new KeyEncryptionKeys([{ id: 'k1', key: randomBytes(32) }]) });

    // Write side: what the cases service does on POST /api/v1/persons.
    await runWithContext({ correlationId: randomUUID(), principal }, async () => {
      for (const p of persons) {
        const { subjectId, ...fields } = p;
        const data = await protector.protect(
          subjectId,
          { personId: subjectId, commune: '06793', personalIdIndex: index.blindIndex(p.personalId), ...fields },
          PERSONAL_FIELDS,
        );
        await store.appendToStream(
          subjectId,
          jsonEvent({ type: 'PersonRegistered', data, metadata: { actor: principal.sub, agency: principal.agency.code } }),
          { expectedRevision: 'no_stream' },
        );
        await store.appendToStream(subjectId, jsonEvent({ type: 'RehabCaseOpened', data: { personId: subjectId, form: 'voluntary_home' } }));
      }
    });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  /** The erasure's event, once appended: project() waits until the log shows it. */
  let erasedAt: Position | undefined;

  /** A projection-like step: reads the log from the start, reveals, and keeps only what a read model may hold. */
  async function project(): Promise<void> {
    // Another test's open transaction on the shared server could hide the event just appended (ADR 0002).
    if (erasedAt !== undefined) await untilReadable(store, erasedAt);
    await db.pool.query('TRUNCATE person_directory, caseload_by_commune');
    for await (const event of store.readAll()) {
      const data = event.data as Record<string, unknown>;
      if (event.type === 'PersonRegistered') {
        const revealed = await protector.reveal(event.streamId, data, PERSONAL_FIELDS);
        // The read model keeps the ciphertext of the name (revealed at query time, so erasure bites)
        // and no phone at all: what this agency's list needs and nothing more.
        expect(typeof revealed.fullName).toBe('string');
        await db.pool.query('INSERT INTO person_directory VALUES ($1, $2, $3, $4, NULL, 0)', [
          event.streamId,
          data['commune'],
          data['personalIdIndex'],
          data['fullName'],
        ]);
        await db.pool.query(`INSERT INTO caseload_by_commune VALUES ($1, 1) ON CONFLICT (commune) DO UPDATE SET persons = caseload_by_commune.persons + 1`, [
          data['commune'],
        ]);
      } else if (event.type === 'RehabCaseOpened') {
        await db.pool.query('UPDATE person_directory SET case_count = case_count + 1 WHERE person_id = $1', [data['personId']]);
      } else if (event.type === 'PersonalDataErased') {
        await db.pool.query(redactSql('person_directory', 'person_id', ['full_name', 'phone']), [event.streamId]);
      }
    }
  }

  const needles = () => persons.flatMap((p) => [...spellings(p.fullName), p.personalId, ...spellings(p.address), p.phone, p.dateOfBirth]);

  it('the scan finds a value stored in the clear (control)', async () => {
    const control = uniqueName(99);
    await db.pool.query('INSERT INTO leak_control VALUES ($1)', [control.normalize('NFD')]);
    for (const dump of await dumps(db.url)) expect(findIn(dump, spellings(control))).not.toEqual([]);
    await db.pool.query('TRUNCATE leak_control');
  });

  it('finds no name, citizen ID, phone, address or birth date in a data-only and a full dump', async () => {
    await project();
    const dumped = await dumps(db.url);
    expect(dumped[0]?.includes(Buffer.from('PersonRegistered'))).toBe(true); // we dumped the right database
    for (const dump of dumped) expect(findIn(dump, needles())).toEqual([]);
  });

  it('finds a person by the blind index of their citizen ID and reads them back', async () => {
    const target = persons[2] as (typeof persons)[number];
    const { rows } = await db.pool.query<{ person_id: string; full_name: string }>(
      'SELECT person_id, full_name FROM person_directory WHERE personal_id_index = $1',
      [index.blindIndex(target.personalId.replace(/(\d{4})(?=\d)/g, '$1 '))],
    );
    expect(rows.map((r) => r.person_id)).toEqual([target.subjectId]);
    const shown = await protector.reveal(target.subjectId, { fullName: rows[0]?.full_name }, ['fullName']);
    expect(shown.fullName).toBe(target.fullName);
  });

  it('after erasure: reads show [erased], counts stay, the wrapped key is gone from the dump', async () => {
    const gone = persons[0] as (typeof persons)[number];
    const { rows: keyRows } = await db.pool.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM pii_subject_keys WHERE subject_id = $1', [gone.subjectId]);
    const wrappedHex = (keyRows[0]?.wrapped_key as Buffer).toString('hex');
    expect(wrappedHex).toHaveLength(120);
    const [before] = await dumps(db.url);
    expect(before?.includes(Buffer.from(wrappedHex))).toBe(true); // the dump shows wrapped keys as hex

    await runWithContext({ correlationId: randomUUID(), principal }, async () => {
      await protector.erase(gone.subjectId, { by: 'dpo-1', reason: 'Erasure request DP-2026-004' });
      erasedAt = (await store.appendToStream(gone.subjectId, jsonEvent({ type: 'PersonalDataErased', data: { personId: gone.subjectId } }))).position;
    });
    await project();

    for await (const event of store.readStream(gone.subjectId)) {
      if (event.type !== 'PersonRegistered') continue;
      const shown = await protector.reveal(gone.subjectId, event.data, PERSONAL_FIELDS);
      for (const field of PERSONAL_FIELDS) expect(shown[field]).toBe(ERASED);
      expect(shown['commune']).toBe('06793');
    }
    const directory = await db.pool.query('SELECT full_name, case_count FROM person_directory WHERE person_id = $1', [gone.subjectId]);
    expect(directory.rows).toEqual([{ full_name: ERASED, case_count: 1 }]);
    const caseload = await db.pool.query('SELECT persons FROM caseload_by_commune');
    expect(caseload.rows).toEqual([{ persons: persons.length }]);
    // The others are untouched.
    const other = persons[1] as (typeof persons)[number];
    const otherRow = await db.pool.query<{ full_name: string }>('SELECT full_name FROM person_directory WHERE person_id = $1', [other.subjectId]);
    expect((await protector.reveal(other.subjectId, { fullName: otherRow.rows[0]?.full_name }, ['fullName'])).fullName).toBe(other.fullName);

    for (const dump of await dumps(db.url)) {
      expect(dump.includes(Buffer.from(wrappedHex))).toBe(false);
      expect(findIn(dump, needles())).toEqual([]);
    }
  });
});
