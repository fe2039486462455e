/**
 * Issue 10 §1, the end of a duplicate review, over real HTTP against real PostgreSQL: the
 * data-protection officer of the province that holds the match resolves it once (SAME_PERSON
 * records the link on the later person's stream, DIFFERENT_PERSONS closes it); resolved reviews
 * leave the open list; 403 for other agencies and roles, 404 for another province's review, 409
 * when resolved already; the registering agency learns nothing.
 */
import { signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { createTestDatabase, type TestDatabase, waitFor } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../cases-service';

jest.setTimeout(180_000);

type Reply = { status: number; body: Record<string, unknown> };

describe('resolving a duplicate review', () => {
  let database: TestDatabase;
  let cases: CasesService;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token: string; body?: unknown }): Promise<Reply> => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const person = (over: Record<string, unknown> = {}) => ({
    fullName: 'Hoàng Văn Trùng',
    personalId: '022089004444',
    dateOfBirth: '1989-05-06',
    sex: 'MALE',
    residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 2, khu 3' },
    ...over,
  });
  const eventsOf = async (personId: string) => {
    const events: { type: string; data: unknown }[] = [];
    for await (const e of cases.store.readStream(`Person-${personId}`)) events.push({ type: e.type, data: e.data });
    return events;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('resolves once, for the province that holds the match only, and tells the registering agency nothing', async () => {
    const quangNinh = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const held = await call('POST', '/api/v1/persons', { token: quangNinh, body: person() });
    expect(held.status).toBe(201);
    const heldId = held.body.id as string;
    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022089004444', { token: quangNinh })).body.total === 1, { timeoutMs: 30_000 });

    const langSon = await token('20-COMMUNE-05977', ['caseworker'], ['05977']);
    const inProvince20 = { residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn 9' } };
    const sameId = await call('POST', '/api/v1/persons', { token: langSon, body: person(inProvince20) });
    const sameName = await call('POST', '/api/v1/persons', {
      token: langSon,
      body: person({ ...inProvince20, personalId: undefined, dateOfBirth: '1990-01-01' }),
    });
    expect([sameId.status, sameName.status]).toEqual([201, 201]);

    const officer = await token('22-POLICE', ['data-protection'], ['22']);
    const open = await call('GET', '/api/v1/duplicate-reviews', { token: officer });
    const items = open.body.items as { reviewId: string; registeredPersonId: string }[];
    expect(items).toHaveLength(2);
    const idReview = items.find((r) => r.registeredPersonId === sameId.body.id) as { reviewId: string };
    const nameReview = items.find((r) => r.registeredPersonId === sameName.body.id) as { reviewId: string };

    // Other roles and agencies: 403; another province's officer: 404, as for a review that does not exist.
    const path = (reviewId: string) => `/api/v1/duplicate-reviews/${reviewId}/resolve`;
    const same = { outcome: 'SAME_PERSON', note: 'Same CCCD, confirmed with the commune police' };
    for (const other of [await token('22-POLICE', ['supervisor'], ['22']), quangNinh, langSon, await token('22-COMMUNE-06793', ['data-protection'], ['06793'])])
      expect((await call('POST', path(idReview.reviewId), { token: other, body: same })).status).toBe(403);
    const elsewhere = await call('POST', path(idReview.reviewId), { token: await token('20-POLICE', ['data-protection'], ['20']), body: same });
    const missing = await call('POST', path('0193b0c4-7c1e-7a51-9d43-2f1f5c7e0a99'), { token: officer, body: same });
    expect(elsewhere.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(elsewhere.body.detail).toBe(missing.body.detail);
    // Bad input: 400 naming the field, nothing changed.
    const bad = await call('POST', path(idReview.reviewId), { token: officer, body: { outcome: 'MAYBE' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('outcome');

    const resolved = await call('POST', path(idReview.reviewId), { token: officer, body: same });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual(expect.objectContaining({ reviewId: idReview.reviewId, status: 'resolved', outcome: 'SAME_PERSON' }));
    expect((await eventsOf(sameId.body.id as string)).map((e) => e.type)).toEqual(['PersonRegistered', 'PersonMarkedDuplicateOf']);
    expect((await eventsOf(sameId.body.id as string))[1]?.data).toEqual({ personId: sameId.body.id, duplicateOf: heldId, reviewId: idReview.reviewId });
    // Once only.
    const again = await call('POST', path(idReview.reviewId), { token: officer, body: { outcome: 'DIFFERENT_PERSONS' } });
    expect(again.status).toBe(409);

    expect((await call('POST', path(nameReview.reviewId), { token: officer, body: { outcome: 'DIFFERENT_PERSONS' } })).status).toBe(200);
    expect((await eventsOf(sameName.body.id as string)).map((e) => e.type)).toEqual(['PersonRegistered']);
    expect((await call('GET', '/api/v1/duplicate-reviews', { token: officer })).body.items).toEqual([]);

    // Both records' access logs name the officer's resolution.
    for (const subject of [heldId, sameId.body.id as string])
      expect(await readAccessLog(cases.store, subject)).toEqual(
        expect.arrayContaining([expect.objectContaining({ purpose: 'duplicate-resolution', agency: '22-POLICE' })]),
      );
    // Documented, with its body.
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { post?: unknown }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.paths['/api/v1/duplicate-reviews/{id}/resolve']?.post).toBeDefined();
    expect(Object.keys(doc.components.schemas.ResolveDuplicateReviewRequestDto?.properties ?? {})).toEqual(['outcome', 'note']);

    // The registering agency reads its person as before: no link, no id of the other province's person.
    const seen = await call('GET', `/api/v1/persons/${sameId.body.id as string}`, { token: langSon });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain(heldId);
  });
});
