import fc from 'fast-check';
import { runStatements, WriteBuffer, type ColumnShape, type PlannedRun, type TableShape } from './write-buffer';

function shape(table: string, primary: string[], others: string[]): TableShape {
  const columns = new Map<string, ColumnShape>();
  for (const property of [...primary, ...others]) {
    columns.set(property, { property, column: property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), prepare: (v) => v });
  }
  return { table, primary: primary.map((p) => columns.get(p) as ColumnShape), column: (p) => columns.get(p) };
}

const cases = shape('case_row', ['caseId'], ['status', 'commune', 'notes']);
const loads = shape('commune_load', ['province', 'commune'], ['open', 'closed']);

describe('WriteBuffer', () => {
  it('coalesces upserts of the same row into one statement row, the later values winning', () => {
    const buffer = new WriteBuffer();
    buffer.upsert(cases, { caseId: 'a', status: 'open' });
    buffer.upsert(cases, { caseId: 'b', status: 'open' });
    buffer.upsert(cases, { caseId: 'a', status: 'started' });
    const plan = buffer.drain();
    expect(plan).toHaveLength(1);
    expect(plan[0]?.rows).toEqual([
      ['a', 'started'],
      ['b', 'open'],
    ]);
    expect(buffer.isEmpty).toBe(true);
  });

  it('adds increments up and overwrites the other columns', () => {
    const buffer = new WriteBuffer();
    buffer.upsert(cases, { caseId: 'a', status: 'open', notes: 1 }, ['notes']);
    buffer.upsert(cases, { caseId: 'a', status: 'started', notes: 2 }, ['notes']);
    buffer.increment(loads, { province: '22', commune: '06793' }, { open: 1 });
    buffer.increment(loads, { province: '22', commune: '06793', closed: 99 }, { open: 1 });
    const plan = buffer.drain();
    expect(plan.map((r) => r.rows)).toEqual([[['a', 3, 'started']], [['22', '06793', 2]]]);
  });

  it('keeps a delete between two writes of the same row in order', () => {
    const buffer = new WriteBuffer();
    buffer.upsert(cases, { caseId: 'a', status: 'open' });
    buffer.delete(cases, { caseId: 'a' });
    buffer.upsert(cases, { caseId: 'a', status: 'reopened' });
    buffer.upsert(cases, { caseId: 'b', status: 'open' });
    const plan = buffer.drain();
    expect(plan.map((r) => [r.operation, r.rows])).toEqual([
      [
        'upsert',
        [
          ['a', 'open'],
          ['b', 'open'],
        ],
      ],
      ['delete', [['a']]],
      ['upsert', [['a', 'reopened']]],
    ]);
  });

  it('writes SQL with bind parameters, ON CONFLICT on the primary key and additive increments', () => {
    const buffer = new WriteBuffer();
    buffer.upsert(loads, { province: '22', commune: '06793', closed: 0, open: 1 }, ['open']);
    buffer.delete(loads, { province: '22', commune: '06794' });
    buffer.delete(cases, { caseId: 'x' });
    buffer.delete(cases, { caseId: 'y' });
    buffer.upsert(cases, { caseId: 'z' });
    const statements = buffer.drain().flatMap((run) => runStatements(run));
    expect(statements.map((s) => s.sql)).toEqual([
      'INSERT INTO "commune_load" AS "_current" ("province", "commune", "closed", "open") VALUES ($1, $2, $3, $4) ' +
        'ON CONFLICT ("province", "commune") DO UPDATE SET "closed" = EXCLUDED."closed", "open" = COALESCE("_current"."open", 0) + EXCLUDED."open"',
      'DELETE FROM "commune_load" WHERE ("province", "commune") IN (($1, $2))',
      'DELETE FROM "case_row" WHERE "case_id" IN ($1, $2)',
      'INSERT INTO "case_row" AS "_current" ("case_id") VALUES ($1) ON CONFLICT ("case_id") DO NOTHING',
    ]);
    expect(statements[0]?.params).toEqual(['22', '06793', 0, 1]);
  });

  it('splits a large run so that no statement has more than 30,000 parameters', () => {
    const buffer = new WriteBuffer();
    for (let i = 0; i < 20_000; i++) buffer.upsert(cases, { caseId: `c${i}`, status: 'open', commune: '06793' });
    const statements = buffer.drain().flatMap((run) => runStatements(run));
    expect(statements).toHaveLength(2);
    expect(statements.every((s) => s.params.length <= 30_000)).toBe(true);
    expect(statements.reduce((n, s) => n + s.params.length, 0)).toBe(60_000);
  });

  it('refuses rows without their whole primary key, unknown properties and non-numeric increments', () => {
    const buffer = new WriteBuffer();
    expect(() => buffer.upsert(loads, { province: '22', open: 1 })).toThrow(/commune is missing/);
    expect(() => buffer.upsert(cases, { caseId: 'a', person: { name: 'x' } })).toThrow(/person is not a plain column/);
    expect(() => buffer.increment(cases, { caseId: 'a' }, { status: 'x' })).toThrow(/must be a number/);
  });

  it('treats 7 and "7" as the same key, as PostgreSQL will', () => {
    const buffer = new WriteBuffer();
    buffer.upsert(cases, { caseId: 7, status: 'a' });
    buffer.upsert(cases, { caseId: '7', status: 'b' });
    expect(buffer.drain()[0]?.rows).toEqual([[7, 'b']]); // one row: a statement must not touch a row twice
  });

  // The property the runner relies on: a batch applied through the buffer ends in the same rows as
  // the same writes applied one at a time.
  it('gives the same rows as applying every write in order (property)', () => {
    type Write = { kind: 'upsert'; id: string; status?: string; commune?: string; notes?: number; addNotes: boolean } | { kind: 'delete'; id: string };
    const id = fc.constantFrom('a', 'b', 'c');
    const write: fc.Arbitrary<Write> = fc.oneof(
      fc.record(
        {
          kind: fc.constant('upsert' as const),
          id,
          status: fc.constantFrom('open', 'started', 'closed'),
          commune: fc.constantFrom('06793', '06794'),
          notes: fc.integer({ min: 0, max: 5 }),
          addNotes: fc.boolean(),
        },
        { requiredKeys: ['kind', 'id', 'addNotes'] },
      ),
      fc.record({ kind: fc.constant('delete' as const), id }),
    );
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), (writes) => {
        const expected = new Map<string, Record<string, unknown>>();
        const buffer = new WriteBuffer();
        for (const w of writes) {
          if (w.kind === 'delete') {
            expected.delete(w.id);
            buffer.delete(cases, { caseId: w.id });
            continue;
          }
          const { kind: _kind, addNotes, id: caseId, ...values } = w;
          const addsNotes = addNotes && values.notes !== undefined;
          applyUpsert(expected, caseId, values, addsNotes ? ['notes'] : []);
          buffer.upsert(cases, { caseId, ...values }, addsNotes ? ['notes'] : []);
        }
        const actual = new Map<string, Record<string, unknown>>();
        for (const run of buffer.drain()) applyRun(actual, run);
        expect(sorted(actual)).toEqual(sorted(expected));
      }),
    );
  });
});

function applyUpsert(rows: Map<string, Record<string, unknown>>, id: string, values: Record<string, unknown>, adds: string[]): void {
  const existing = rows.get(id);
  if (!existing) {
    rows.set(id, { ...values });
    return;
  }
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    existing[k] = adds.includes(k) ? ((existing[k] as number | undefined) ?? 0) + (v as number) : v;
  }
}

/** What PostgreSQL does with one planned statement. */
function applyRun(rows: Map<string, Record<string, unknown>>, run: PlannedRun): void {
  const keys = new Set<string>();
  for (const values of run.rows) {
    const id = String(values[0]);
    if (keys.has(id)) throw new Error('a statement touches a row twice');
    keys.add(id);
    if (run.operation === 'delete') {
      rows.delete(id);
      continue;
    }
    const record: Record<string, unknown> = {};
    const adds: string[] = [];
    run.columns.forEach((c, i) => {
      if (i === 0) return;
      record[c.property] = values[i];
      if (run.adds[i]) adds.push(c.property);
    });
    applyUpsert(rows, id, record, adds);
  }
}

function sorted(rows: Map<string, Record<string, unknown>>): [string, Record<string, unknown>][] {
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
}
