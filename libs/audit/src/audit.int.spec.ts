import { eventStoreMigrations, PostgresEventStore } from '@haidang/event-store';
import { runWithContext, type Principal } from '@haidang/request-context';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { randomUUID } from 'node:crypto';
import { readAccessLog, recordAccess } from './access-log';
import { activeBreakGlass, grantBreakGlass, listBreakGlassForAgency, requireBreakGlass } from './break-glass';
import { InvalidAuditInputError, NoActiveBreakGlassError, NotAttributableError } from './errors';

const officer = (sub: string, code: string): Principal => {
  const [province, type] = code.split('-') as [string, Principal['agency']['type']];
  return { sub, agency: { code, type, province }, roles: ['caseworker'], jurisdiction: [province] };
};
const commune = officer('officer-commune', '22-COMMUNE-06793');
const police = officer('officer-police', '20-POLICE');
const as = <T>(principal: Principal | undefined, correlationId: string, work: () => Promise<T>) =>
  runWithContext({ correlationId, ...(principal ? { principal } : {}) }, work);
const REASON = 'Person admitted unconscious to the provincial hospital; next of kin needed';
const t0 = new Date('2026-11-27T08:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe('audit against a real event store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: db.pool });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  describe('recordAccess', () => {
    it('appends who, what, why and when, and no personal values', async () => {
      const subjectId = `Person-${randomUUID()}`;
      await as(commune, 'corr-read-1', () => recordAccess(store, { subjectId, action: 'read', purpose: 'case-review', fields: ['fullName', 'phone'] }, t0));
      await as(police, 'corr-export-1', () => recordAccess(store, { subjectId, action: 'export', purpose: 'court-request' }, minutes(5)));
      const log = await readAccessLog(store, subjectId);
      expect(log).toEqual([
        expect.objectContaining({
          subjectId,
          action: 'read',
          purpose: 'case-review',
          fields: ['fullName', 'phone'],
          accessedAt: t0.toISOString(),
          actor: 'officer-commune',
          agency: '22-COMMUNE-06793',
          correlationId: 'corr-read-1',
        }),
        expect.objectContaining({
          action: 'export',
          purpose: 'court-request',
          fields: [],
          actor: 'officer-police',
          agency: '20-POLICE',
          correlationId: 'corr-export-1',
        }),
      ]);
      const events = [];
      for await (const e of store.readStream(`AccessLog-${subjectId}`)) events.push(e);
      expect(events.map((e) => [e.type, e.schemaVersion])).toEqual([
        ['PersonalDataAccessed', 1],
        ['PersonalDataAccessed', 1],
      ]);
      expect(await readAccessLog(store, `Person-${randomUUID()}`)).toEqual([]);
    });

    it('keeps, for an export of aggregates, the query as codes and the number of rows', async () => {
      await as(police, 'corr-export-2', () =>
        recordAccess(
          store,
          { subjectId: 'indicators:22', action: 'export', purpose: 'indicators-export', query: { provinceCode: '22', period: '2022-Q3' }, rowCount: 54 },
          t0,
        ),
      );
      expect((await readAccessLog(store, 'indicators:22')).at(-1)).toMatchObject({
        query: { provinceCode: '22', period: '2022-Q3' },
        rowCount: 54,
        fields: [],
        agency: '20-POLICE',
      });
    });

    it('refuses an unattributed access and anything that could carry personal values, writing nothing', async () => {
      const subjectId = `Person-${randomUUID()}`;
      await expect(as(undefined, 'c', () => recordAccess(store, { subjectId, action: 'read', purpose: 'case-review' }))).rejects.toBeInstanceOf(
        NotAttributableError,
      );
      const bad = [
        { subjectId, action: 'read', purpose: 'Nguyễn Văn An asked' },
        { subjectId, action: 'delete', purpose: 'case-review' },
        { subjectId, action: 'read', purpose: 'case-review', fields: ['Nguyễn Văn An'] },
        { subjectId: 'Person 1; DROP', action: 'read', purpose: 'case-review' },
        { subjectId, action: 'export', purpose: 'indicators-export', query: { note: 'Nguyễn Văn An' } },
        { subjectId, action: 'export', purpose: 'indicators-export', rowCount: -1 },
      ] as const;
      for (const request of bad) {
        await expect(as(commune, 'c', () => recordAccess(store, request as never))).rejects.toBeInstanceOf(InvalidAuditInputError);
      }
      expect(await readAccessLog(store, subjectId)).toEqual([]);
    });
  });

  describe('break-glass', () => {
    it('opens a grant for the asking principal only, until it expires', async () => {
      const subjectId = `Person-${randomUUID()}`;
      const grant = await as(police, 'corr-bg-1', () =>
        grantBreakGlass(store, { subjectId, owningAgency: '22-COMMUNE-06793', reason: REASON, durationMinutes: 30 }, t0),
      );
      expect(grant).toMatchObject({
        subjectId,
        principalSub: 'officer-police',
        principalAgency: '20-POLICE',
        owningAgency: '22-COMMUNE-06793',
        reason: REASON,
        correlationId: 'corr-bg-1',
      });
      expect(grant.expiresAt).toEqual(minutes(30));

      expect((await activeBreakGlass(store, 'officer-police', subjectId, minutes(29)))?.grantId).toBe(grant.grantId);
      expect(await activeBreakGlass(store, 'officer-police', subjectId, minutes(30))).toBeUndefined(); // expired
      expect(await activeBreakGlass(store, 'officer-police', subjectId, minutes(-1))).toBeUndefined(); // not yet
      expect(await activeBreakGlass(store, 'someone-else', subjectId, minutes(1))).toBeUndefined();
      expect(await activeBreakGlass(store, 'officer-police', `Person-${randomUUID()}`, minutes(1))).toBeUndefined();
      await expect(requireBreakGlass(store, 'officer-police', subjectId, minutes(31))).rejects.toBeInstanceOf(NoActiveBreakGlassError);
      expect((await requireBreakGlass(store, 'officer-police', subjectId, minutes(10))).grantId).toBe(grant.grantId);
    });

    it('refuses a grant without a real reason, too long a duration, or without a principal, writing nothing', async () => {
      const subjectId = `Person-${randomUUID()}`;
      const base = { subjectId, owningAgency: '22-COMMUNE-06793', reason: REASON, durationMinutes: 30 };
      for (const request of [
        { ...base, reason: 'urgent' },
        { ...base, reason: '          padded with blanks          ' },
        { ...base, durationMinutes: 241 },
        { ...base, durationMinutes: 0 },
        { ...base, durationMinutes: 1.5 },
        { ...base, owningAgency: 'somebody' },
      ]) {
        await expect(as(police, 'c', () => grantBreakGlass(store, request, t0))).rejects.toBeInstanceOf(InvalidAuditInputError);
      }
      await expect(as(undefined, 'c', () => grantBreakGlass(store, base, t0))).rejects.toBeInstanceOf(NotAttributableError);
      expect(await as(police, 'c', () => grantBreakGlass(store, { ...base, durationMinutes: 240 }, t0))).toMatchObject({ expiresAt: minutes(240) });
      const stream = [];
      for await (const e of store.readStream(`BreakGlass-${subjectId}`)) stream.push(e);
      expect(stream).toHaveLength(1);
    });

    it('shows the owning agency every grant on its records, and only those', async () => {
      const owner = '22-COMMUNE-07000';
      const a = `Person-${randomUUID()}`;
      const b = `Person-${randomUUID()}`;
      const g1 = await as(police, 'c1', () => grantBreakGlass(store, { subjectId: a, owningAgency: owner, reason: REASON, durationMinutes: 60 }, t0));
      const g2 = await as(commune, 'c2', () => grantBreakGlass(store, { subjectId: b, owningAgency: owner, reason: REASON, durationMinutes: 10 }, minutes(30)));
      await as(police, 'c3', () => grantBreakGlass(store, { subjectId: b, owningAgency: '22-COMMUNE-08000', reason: REASON, durationMinutes: 10 }, t0));
      expect((await listBreakGlassForAgency(store, owner)).map((g) => g.grantId)).toEqual([g1.grantId, g2.grantId]);
      expect((await listBreakGlassForAgency(store, owner, { activeAt: minutes(45) })).map((g) => g.grantId)).toEqual([g1.grantId]);
      expect(await listBreakGlassForAgency(store, '22-COMMUNE-09999')).toEqual([]);
      await expect(listBreakGlassForAgency(store, 'nope')).rejects.toBeInstanceOf(InvalidAuditInputError);
    });
  });
});
