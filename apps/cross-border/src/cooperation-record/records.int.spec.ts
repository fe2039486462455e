/**
 * The cooperation record API over real HTTP against real PostgreSQL: register (201, Location, ETag),
 * read (ETag), steps under If-Match (200, 409 stale, 428 missing), Idempotency-Key replay, bad
 * input field by field, 401 / 403 / 404 / 422, sealing and its verification by anyone (node:crypto),
 * a tampered log failing it, corrections, statistics read back, persons never in the clear.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { validateCrossBorderIntegrationEvent } from '@haidang/contracts';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { crossBorderPolicy } from '../cross-border.policy';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../cross-border-service';
import { LANG_SON_2015_2020 } from '../demo/demo-data';
import { HANDOVER_PERSON_READ_PURPOSE } from './get-cooperation-record/get-cooperation-record.http.controller';
import { handoverBody } from './records.test-fixtures';

jest.setTimeout(120_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

/** The persons of `handoverBody()` as the agencies handling them read them: each its own stream, none asked support. */
const shownPersons = () =>
  handoverBody().persons.map((p) =>
    expect.objectContaining({ fullName: p.fullName, birthYear: p.birthYear, recorded: true, erased: false, supportAgency: null, casesPersonId: null }),
  );

const translation = { zh: { title: '接收被拐卖受害人纪要', body: '中方向越方移交被拐卖越南公民2名。' }, agreedPointsZh: [], translator: 'Hoàng Thị Mai' };

describe('cooperation records API', () => {
  let database: TestDatabase;
  let running: CrossBorderService;
  let guard: string;
  let supervisor: string;
  const token = (agency: string, units: string[], roles: string[] = ['caseworker']) => signDevToken({ agency, roles: roles as never, units });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${running.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  const eventCount = async (id?: string) =>
    Number(
      (
        await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE $1`, [
          id ? `CooperationRecord-${id}` : 'CooperationRecord-%',
        ])
      ).rows[0]?.n,
    );
  const register = async (body: Record<string, unknown> = handoverBody(), headers: Record<string, string> = {}) => {
    const created = await call('POST', '/api/v1/records', { token: guard, body, headers });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '', reply: created };
  };
  /** Registers, translates and seals a record; returns its id and last ETag. */
  const sealedRecord = async (body: Record<string, unknown> = handoverBody()) => {
    const { id, etag } = await register(body);
    const translated = await call('POST', `/api/v1/records/${id}/translation`, { token: guard, body: translation, headers: { 'if-match': etag } });
    expect(translated.status).toBe(200);
    const sealed = await call('POST', `/api/v1/records/${id}/seal`, {
      token: supervisor,
      body: { sealedOn: '2020-06-12' },
      headers: { 'if-match': translated.headers.get('etag') ?? '' },
    });
    expect(sealed.status).toBe(200);
    return { id, etag: sealed.headers.get('etag') ?? '' };
  };
  const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: crossBorderMigrations });
    // Many requests from one principal, polling read models included: the per-principal budget is not what is tested here.
    running = await startCrossBorderService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rateLimit: { limit: 100_000, windowMs: 60_000 },
    });
    guard = await token('20-BORDER_GUARD', ['20']);
    supervisor = await token('20-BORDER_GUARD', ['20'], ['supervisor']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('registers with 201, Location and ETag, and reads the record back in both languages with the same ETag', async () => {
    const { id, etag, reply } = await register();
    expect(reply.body).toEqual({ id, version: 0 });
    expect(etag).toBe('"0"');
    expect(reply.headers.get('location')).toBe(`/api/v1/records/${id}`);
    const read = await call('GET', `/api/v1/records/${id}`, { token: guard });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.headers.get('cache-control')).toContain('no-store');
    expect(read.body).toMatchObject({
      id,
      version: 0,
      status: 'OPEN',
      kind: 'HANDOVER',
      provinceCode: '20',
      crossingCode: 'LS-HUU-NGHI',
      vi: handoverBody().vi,
      zh: null,
      details: handoverBody().handover,
      persons: shownPersons(),
    });
    expect((await call('GET', `/api/v1/records/${crypto.randomUUID()}`, { token: guard })).status).toBe(404);
  });

  it('derives an information exchange’s reply deadline on the working-day calendar and flags a late reply', async () => {
    const { id, etag } = await register({
      kind: 'INFORMATION_EXCHANGE',
      provinceCode: '20',
      occurredOn: '2020-03-06',
      vi: { title: 'Đề nghị xác minh', body: 'Đề nghị phía bạn xác minh.' },
      informationExchange: { channel: 'HOTLINE', direction: 'SENT', subject: 'WANTED_PERSON', replyWithinWorkingDays: 5 },
    });
    const read = await call('GET', `/api/v1/records/${id}`, { token: guard });
    expect(read.body.details).toMatchObject({ replyDueOn: '2020-03-13' });
    const replied = await call('POST', `/api/v1/records/${id}/reply`, { token: guard, body: { receivedOn: '2020-03-16' }, headers: { 'if-match': etag } });
    expect(replied.status).toBe(200);
    const events = await database.pool.query<{ data: { overdue: boolean } }>(
      `SELECT data FROM es_events WHERE stream_name = $1 AND event_type = 'ReplyReceived'`,
      [`CooperationRecord-${id}`],
    );
    expect(events.rows[0]?.data.overdue).toBe(true);
  });

  it('changes a record under If-Match: 200 and a new ETag, 409 for a stale one, 428 without, nothing appended', async () => {
    const { id, etag } = await register();
    const changed = await call('POST', `/api/v1/records/${id}/translation`, { token: guard, body: translation, headers: { 'if-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ id, version: 1 });
    expect(changed.headers.get('etag')).toBe('"1"');
    const stale = await call('POST', `/api/v1/records/${id}/translation`, { token: guard, body: translation, headers: { 'if-match': etag } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    const missing = await call('POST', `/api/v1/records/${id}/translation`, { token: guard, body: translation });
    expect(missing.status).toBe(428);
    expect(await eventCount(id)).toBe(2);
  });

  it('seals only a translated record, by a supervisor; a sealed record refuses every change with 422 in plain words', async () => {
    const { id, etag } = await register();
    const untranslated = await call('POST', `/api/v1/records/${id}/seal`, {
      token: supervisor,
      body: { sealedOn: '2020-06-12' },
      headers: { 'if-match': etag },
    });
    expect(untranslated.status).toBe(422);
    expect(untranslated.body.detail).toBe('the Chinese text and the translator are required before the counterpart co-signs');
    const translated = await call('POST', `/api/v1/records/${id}/translation`, { token: guard, body: translation, headers: { 'if-match': etag } });
    const byCaseworker = await call('POST', `/api/v1/records/${id}/seal`, {
      token: guard,
      body: { sealedOn: '2020-06-12' },
      headers: { 'if-match': translated.headers.get('etag') ?? '' },
    });
    expect(byCaseworker.status).toBe(403);
    const sealed = await call('POST', `/api/v1/records/${id}/seal`, {
      token: supervisor,
      body: { sealedOn: '2020-06-12' },
      headers: { 'if-match': translated.headers.get('etag') ?? '', 'idempotency-key': `seal-${id}` },
    });
    expect(sealed.status).toBe(200);
    const before = await eventCount(id);
    // The same seal retried under its key appends nothing and answers the same version.
    const retried = await call('POST', `/api/v1/records/${id}/seal`, {
      token: supervisor,
      body: { sealedOn: '2020-06-12' },
      headers: { 'if-match': translated.headers.get('etag') ?? '', 'idempotency-key': `seal-${id}` },
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(sealed.body);
    const etagNow = sealed.headers.get('etag') ?? '';
    for (const [path, body, who] of [
      ['translation', translation, guard],
      ['reply', { receivedOn: '2020-06-13' }, guard],
      ['seal', { sealedOn: '2020-06-13' }, supervisor],
    ] as const) {
      const refused = await call('POST', `/api/v1/records/${id}/${path}`, { token: who, body, headers: { 'if-match': etagNow } });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.detail).toBe(
        'the record is sealed (co-signed with the counterpart) and can no longer change; register a new record that corrects it',
      );
    }
    expect(await eventCount(id)).toBe(before);
  });

  it('lets anyone verify a seal with node:crypto, and a record altered in the log (SQL) fails verification', async () => {
    const { id } = await sealedRecord();
    const seal = await call('GET', `/api/v1/records/${id}/seal`, { token: guard });
    expect(seal.status).toBe(200);
    const { content, contentHash, signature, publicKey, statement } = seal.body as {
      content: string;
      contentHash: string;
      signature: string;
      publicKey: string;
      statement: Record<string, unknown>;
    };
    expect(seal.body).toMatchObject({ hashAlgorithm: 'SHA-256', signatureAlgorithm: 'Ed25519', verified: { valid: true } });
    // Both languages are in what the hash covers; the persons are not (they are personal and shreddable).
    expect(content).toContain('Biên bản tiếp nhận');
    expect(content).toContain('接收被拐卖受害人纪要');
    expect(content).not.toContain('Lục Thị Hoa');
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    const canonicalStatement = (s: Record<string, unknown>) =>
      `{${Object.keys(s)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(s[k])}`)
        .join(',')}}`;
    const signatureHolds = (s: Record<string, unknown>) =>
      verify(null, Buffer.from(canonicalStatement(s)), createPublicKey(publicKey), Buffer.from(signature, 'base64'));
    expect(sha(content)).toBe(contentHash);
    expect(statement).toMatchObject({ recordId: id, contentHash });
    expect(signatureHolds(statement)).toBe(true);
    // A forged hash in the statement does not verify under the key.
    expect(signatureHolds({ ...statement, contentHash: sha('forged') })).toBe(false);

    await database.pool.query(
      `UPDATE es_events SET data = jsonb_set(data::jsonb, '{vi,body}', '"Phía Trung Quốc bàn giao 03 công dân."')::json WHERE stream_name = $1 AND event_type = 'CooperationRecordRegistered'`,
      [`CooperationRecord-${id}`],
    );
    // The read's own chain check refuses the altered stream first (issue 10 §3: 503, logged, counted)…
    expect((await call('GET', `/api/v1/records/${id}/seal`, { token: guard })).status).toBe(503);
    // …and someone who also re-chains it by SQL (hashes and head recomputed) is caught by the seal.
    await database.pool.query(`DO $$ DECLARE r record; previous bytea := '\\x${'00'.repeat(32)}'; BEGIN
      FOR r IN SELECT * FROM es_events WHERE stream_name = 'CooperationRecord-${id}' ORDER BY stream_revision LOOP
        previous := sha256(previous || sha256(convert_to(concat_ws(chr(31), r.event_id::text, r.stream_name, r.event_type, r.schema_version::text, r.data::text, r.metadata::text), 'UTF8')) || timestamptz_send(r.recorded_at));
        UPDATE es_events SET hash = previous WHERE global_position = r.global_position;
      END LOOP;
      UPDATE es_streams SET last_hashes = ARRAY[previous] WHERE stream_name = 'CooperationRecord-${id}';
    END $$`);
    const tampered = await call('GET', `/api/v1/records/${id}/seal`, { token: guard });
    expect(tampered.body.verified).toEqual({ contentMatches: false, signatureValid: true, valid: false });
    expect(sha(tampered.body.content as string)).not.toBe(contentHash);
  });

  it('corrects a sealed record only with a new record that names it; statistics count the correction instead', async () => {
    const crossing = 'LS-NA-HINH';
    const { id: unsealed } = await register(handoverBody({ crossingCode: crossing }));
    const early = await call('POST', '/api/v1/records', { token: guard, body: handoverBody({ crossingCode: crossing, corrects: unsealed }) });
    expect(early.status).toBe(422);
    expect(early.body.detail).toBe('only a sealed record is corrected by a new record; change an unsealed one instead');
    const { id: original } = await sealedRecord(handoverBody({ crossingCode: crossing, handover: { ...handoverBody().handover, count: 3 } }));
    const otherKind = await call('POST', '/api/v1/records', {
      token: guard,
      body: {
        kind: 'JOINT_PATROL',
        provinceCode: '20',
        occurredOn: '2020-06-12',
        corrects: original,
        vi: { title: 't', body: 'b' },
        jointPatrol: { markerFrom: '1', markerTo: '2', vietnameseUnits: [], chineseUnits: [] },
      },
    });
    expect(otherKind.status).toBe(422);
    const { id: correction } = await register(handoverBody({ crossingCode: crossing, corrects: original }));
    const read = await call('GET', `/api/v1/records/${correction}`, { token: guard });
    expect(read.body.corrects).toBe(original);
    // The original is unchanged and still verifies.
    expect((await call('GET', `/api/v1/records/${original}/seal`, { token: guard })).body.verified).toMatchObject({ valid: true });
    const ppc = await token('20-PPC', ['20'], ['analyst']);
    const totals = await eventually(
      () => call('GET', `/api/v1/statistics?crossingCode=${crossing}`, { token: ppc }),
      (r) => r.status === 200 && JSON.stringify(r.body.totals) === JSON.stringify([{ category: 'RECEIVED_TRAFFICKING_VICTIM', value: 4 }]),
    );
    // 2 (unsealed) + 2 (the correction), not the original's 3.
    expect(totals.body.totals).toEqual([{ category: 'RECEIVED_TRAFFICKING_VICTIM', value: 4 }]);
    const listed = await eventually(
      () => call('GET', `/api/v1/records?kind=HANDOVER&crossingCode=${crossing}`, { token: guard }),
      (r) => r.status === 200 && (r.body.items as { id: string; correctedBy: string | null }[]).some((i) => i.id === original && i.correctedBy === correction),
    );
    expect(listed.body.total).toBe(3);
  });

  it('reads the 2015–2020 Lạng Sơn totals back as the same numbers from a period summary (PPC: statistics only)', async () => {
    const { id } = await register({
      kind: 'PERIOD_SUMMARY',
      provinceCode: '20',
      occurredOn: '2020-12-31',
      vi: { title: 'Tổng hợp 2015–2020', body: 'Số liệu tổng hợp giai đoạn 2015–2020.' },
      periodSummary: { periodFrom: '2015-01-01', periodTo: '2020-12-31', figures: LANG_SON_2015_2020 },
    });
    const ppc = await token('20-PPC', ['20'], ['analyst']);
    const read = await eventually(
      () => call('GET', '/api/v1/statistics?source=summaries&from=2015-01-01&to=2020-12-31', { token: ppc }),
      (r) => r.status === 200 && (r.body.totals as unknown[]).length === LANG_SON_2015_2020.length,
    );
    const byCategory = Object.fromEntries((read.body.totals as { category: string; value: number }[]).map((t) => [t.category, t.value]));
    expect(byCategory).toEqual({
      JOINT_CASES_DRUGS: 9,
      ARRESTS: 29,
      SEIZED_HEROIN_BRICK: 133,
      SEIZED_SYNTHETIC_DRUGS_PILL: 3300,
      RECEIVED_TRAFFICKING_VICTIM: 43,
      RECEIVED_WANTED_PERSON: 14,
      HANDED_OVER_WANTED_PERSON: 12,
      HANDED_OVER_ILLEGAL_ENTRANT: 470,
      TRAFFICKING_CASES_INVESTIGATED: 139,
      TRAFFICKING_VICTIMS: 117,
      CITIZENS_RETURNED: 1000,
    });
    // A period that does not hold the whole summary does not count it.
    const partial = await call('GET', '/api/v1/statistics?source=summaries&from=2016-01-01&to=2020-12-31', { token: ppc });
    expect(partial.body.totals).toEqual([]);
    // The PPC reads no record, and no other province's statistics.
    expect((await call('GET', `/api/v1/records/${id}`, { token: ppc })).status).toBe(403);
    expect((await call('GET', '/api/v1/records', { token: ppc })).status).toBe(403);
    expect((await call('GET', '/api/v1/statistics?provinceCode=22', { token: ppc })).status).toBe(403);
    expect((await call('GET', '/api/v1/statistics', { token: await token('22-PPC', ['22'], ['analyst']) })).body.totals).toEqual([]);
  });

  it('publishes validated integration events with figures and no personal data', async () => {
    const { id } = await sealedRecord();
    const rows = await eventually(
      async () =>
        (
          await database.pool.query<{ payload: string }>(`SELECT convert_from(payload, 'UTF8') AS payload FROM messaging_outbox WHERE service = 'cross-border'`)
        ).rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>),
      (events) => events.some((e) => JSON.stringify(e).includes(id) && JSON.stringify(e).includes('RecordSealed')),
    );
    const mine = rows.map((e) => (e['data'] ?? e) as Record<string, unknown>).filter((e) => e['recordId'] === id);
    expect(mine.map((e) => e['type']).sort()).toEqual(['cross-border.FiguresRecorded.v1', 'cross-border.RecordSealed.v1']);
    for (const event of mine) expect(validateCrossBorderIntegrationEvent(event).ok).toBe(true);
    expect(mine.find((e) => e['type'] === 'cross-border.FiguresRecorded.v1')).toMatchObject({
      provinceCode: '20',
      crossingCode: 'LS-HUU-NGHI',
      figures: [{ category: 'RECEIVED_TRAFFICKING_VICTIM', value: 2 }],
    });
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain('Lục Thị Hoa');
      expect(JSON.stringify(row)).not.toContain('bàn giao');
    }
  });

  it('keeps handed-over persons out of the log in the clear and shows them only to the agencies handling them', async () => {
    const { id } = await register();
    const { rows } = await database.pool.query<{ stream: string; data: string }>(
      `SELECT stream_name AS stream, data::text AS data FROM es_events WHERE stream_name LIKE 'CooperationRecord-%' OR stream_name LIKE 'HandedOverPerson-%'`,
    );
    expect(rows.some((row) => row.stream.startsWith('HandedOverPerson-'))).toBe(true);
    for (const row of rows) {
      expect(row.data).not.toContain('Lục Thị');
      expect(row.data).not.toContain('Hoàng Thị Lan');
    }
    const police = await call('GET', `/api/v1/records/${id}`, { token: await token('20-POLICE', ['20']) });
    expect(police.body.persons).toEqual(shownPersons());
    const auditor = await call('GET', `/api/v1/records/${id}`, { token: await token('20-BORDER_GUARD', ['20'], ['auditor']) });
    expect(auditor.status).toBe(200);
    expect(auditor.body.persons).toBeNull();
    expect(JSON.stringify(auditor.body)).not.toContain('Lục Thị');
  });

  it('records each read of a handed-over person’s name in that person’s access log first; a read without names records nothing', async () => {
    const { id } = await register();
    const read = await call('GET', `/api/v1/records/${id}`, { token: guard, headers: { 'x-correlation-id': 'handover-read-0001' } });
    const persons = read.body.persons as { id: string }[];
    expect(persons).toHaveLength(2);
    for (const person of persons) {
      expect(await readAccessLog(running.store, person.id)).toEqual([
        expect.objectContaining({
          subjectId: person.id,
          action: 'read',
          purpose: HANDOVER_PERSON_READ_PURPOSE,
          fields: ['fullName', 'birthYear'],
          actor: expect.any(String),
          agency: '20-BORDER_GUARD',
        }),
      ]);
    }
    // The auditor reads the record without its persons: nobody's access log grows.
    const auditor = await call('GET', `/api/v1/records/${id}`, { token: await token('20-BORDER_GUARD', ['20'], ['auditor']) });
    expect(auditor.body.persons).toBeNull();
    for (const person of persons) expect(await readAccessLog(running.store, person.id)).toHaveLength(1);
    // No name in the access log either.
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name LIKE 'AccessLog-%'`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.data).not.toContain('Lục Thị');
  });

  it('keys each handed-over person on their own: shredding one erases that name only, the record and its seal stay whole, read models hold no name', async () => {
    const { id } = await sealedRecord();
    const before = await call('GET', `/api/v1/records/${id}`, { token: guard });
    const [first, second] = before.body.persons as { id: string }[];
    expect(first?.id).not.toBe(second?.id);
    // Each person's ciphertext is bound to their own key: the record's events carry ids only.
    const keys = await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM pii_subject_keys WHERE subject_id = ANY($1::text[])`, [
      [first?.id, second?.id, id],
    ]);
    expect(Number(keys.rows[0]?.n)).toBe(2);
    const dataProtection = await token('20-BORDER_GUARD', ['20'], ['data-protection']);
    const erase = (headers: Record<string, string>) =>
      call('POST', `/api/v1/handed-over-persons/${first?.id}/erasure`, { token: dataProtection, body: { reference: 'DP-2026-011' }, headers });
    expect((await erase({})).status).toBe(428);
    expect(
      (
        await call('POST', `/api/v1/handed-over-persons/${first?.id}/erasure`, {
          token: guard,
          body: { reference: 'DP-2026-011' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(403);
    const otherProvince = await token('22-BORDER_GUARD', ['22'], ['data-protection']);
    expect(
      (
        await call('POST', `/api/v1/handed-over-persons/${first?.id}/erasure`, {
          token: otherProvince,
          body: { reference: 'DP-2026-011' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(403);
    const erased = await erase({ 'if-match': '"0"', 'idempotency-key': 'erase-0001' });
    expect([erased.status, erased.body]).toEqual([200, { id: first?.id, version: 1, erased: true }]);
    expect((await erase({ 'if-match': '"0"', 'idempotency-key': 'erase-0001' })).status).toBe(200);
    expect((await erase({ 'if-match': '"1"' })).status).toBe(409);
    expect(
      (
        await call('POST', `/api/v1/handed-over-persons/${crypto.randomUUID()}/erasure`, {
          token: dataProtection,
          body: { reference: 'DP-2026-011' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(404);
    const after = await call('GET', `/api/v1/records/${id}`, { token: guard });
    expect(after.body.persons).toEqual([
      expect.objectContaining({ id: first?.id, fullName: '[erased]', birthYear: '[erased]', erased: true }),
      expect.objectContaining({ id: second?.id, fullName: 'Hoàng Thị Lan', erased: false }),
    ]);
    expect(after.body.vi).toEqual(before.body.vi);
    const seal = await call('GET', `/api/v1/records/${id}/seal`, { token: guard });
    expect(seal.status).toBe(200);
    expect(
      createHash('sha256')
        .update(seal.body.content as string)
        .digest('hex'),
    ).toBe(seal.body.contentHash);
    // The read models (records, figures, integration outbox) never held a name to redact.
    await eventually(
      () => call('GET', '/api/v1/records?kind=HANDOVER', { token: guard }),
      (list) => (list.body.items as { id: string }[]).some((item) => item.id === id),
    );
    const { rows: tables } = await database.pool.query<{ name: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_schema LIKE 'proj_cross_border%' OR (table_schema = 'public' AND table_name = 'messaging_outbox')`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const { name } of tables) {
      const dump = await database.pool.query<{ text: string }>(`SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM ${name} t`);
      expect(dump.rows[0]?.text).not.toContain('Lục Thị');
      expect(dump.rows[0]?.text).not.toContain('Hoàng Thị Lan');
    }
  });

  it('refuses support asked without what cases needs (400, field by field) and answers 503 when cases does not answer, appending nothing', async () => {
    const persons = await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'HandedOverPerson-%'`);
    const before = await eventCount();
    const support = {
      supportAgency: '20-HEALTH',
      sex: 'FEMALE',
      dateOfBirth: '2001-03-14',
      residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn Nà Phai' },
    };
    const withSupport = (over: Record<string, unknown>) =>
      handoverBody({ persons: [{ fullName: 'Lục Thị Hoa', birthYear: 2001, support: { ...support, ...over } }] });
    const badAgency = await call('POST', '/api/v1/records', { token: guard, body: withSupport({ supportAgency: '20-DOLISA' }) });
    expect(badAgency.status).toBe(400);
    expect((badAgency.body.errors as { field: string }[]).map((e) => e.field)).toContain('persons.0.support.supportAgency');
    const otherProvince = await call('POST', '/api/v1/records', {
      token: guard,
      body: withSupport({ residence: { provinceCode: '20', communeCode: '06793', address: 'Tổ 5' } }),
    });
    expect(otherProvince.status).toBe(400);
    expect((otherProvince.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['persons[0].support.residence.provinceCode']);
    // Needs: each of an agency of the record's province, of a type that provides it, each once; support as a whole or a need.
    const fieldsOf = async (over: Record<string, unknown>) => {
      const refused = await call('POST', '/api/v1/records', { token: guard, body: withSupport(over) });
      expect(refused.status).toBe(400);
      return (refused.body.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await fieldsOf({ supportAgency: undefined })).toEqual(['persons[0].support.needs']);
    expect(await fieldsOf({ supportAgency: '30-HEALTH' })).toEqual(['persons[0].support.supportAgency']);
    expect(
      await fieldsOf({
        supportAgency: undefined,
        needs: [
          { need: 'SHELTER', agency: '30-COMMUNE-05977' },
          { need: 'HEALTH', agency: '20-COMMUNE-05977' },
          { need: 'LEGAL_AID', agency: '20-COMMUNE-06793' },
        ],
      }),
    ).toEqual(['persons[0].support.needs[0].agency', 'persons[0].support.needs[1].agency', 'persons[0].support.needs[2].agency']);
    expect(
      await fieldsOf({
        needs: [
          { need: 'SHELTER', agency: '20-COMMUNE-05977' },
          { need: 'SHELTER', agency: '20-HEALTH' },
        ],
      }),
    ).toEqual(['persons[0].support.needs[1].need']);
    expect(await fieldsOf({ needs: [{ need: 'MONEY', agency: 'Sở Y tế' }] })).toEqual(
      expect.arrayContaining(['persons.0.support.needs.0.need', 'persons.0.support.needs.0.agency']),
    );
    expect(await fieldsOf({ needs: [] })).toEqual(['persons.0.support.needs']);
    const wanted = await call('POST', '/api/v1/records', {
      token: guard,
      body: { ...withSupport({}), handover: { ...handoverBody().handover, category: 'WANTED_PERSON' } },
    });
    expect(wanted.status).toBe(422);
    // No cases service answers on this test's in-process broker.
    const unavailable = await call('POST', '/api/v1/records', { token: guard, body: withSupport({}), headers: { 'idempotency-key': 'cases-down-0001' } });
    expect(unavailable.status).toBe(503);
    expect(String(unavailable.body.type)).toMatch(/cases-unavailable$/);
    expect(await eventCount()).toBe(before);
    const personsAfter = await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'HandedOverPerson-%'`);
    expect(personsAfter.rows[0]?.n).toBe(persons.rows[0]?.n);
  });

  it('appends nothing when a registration is retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'register-0001' };
    const first = await register(handoverBody(), headers);
    const after = await eventCount();
    const retry = await register(handoverBody(), headers);
    expect(retry.id).toBe(first.id);
    expect(retry.etag).toBe(first.etag);
    expect(await eventCount()).toBe(after);
    // The same key for another request is not a retry.
    const reused = await call('POST', '/api/v1/records', { token: guard, body: handoverBody({ occurredOn: '2020-06-11' }), headers });
    expect(reused.status).toBe(422);
    expect(await eventCount()).toBe(after);
  });

  it('answers bad input with 400 problem+json naming each field, and broken rules with 422, appending nothing', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/records', {
      token: guard,
      body: { kind: 'HANDOVER', provinceCode: 'x', occurredOn: '2020-02-30', vi: { title: 5 }, handover: { direction: 'SIDEWAYS', count: 0 }, extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    for (const field of ['provinceCode', 'occurredOn', 'extra']) expect(fields).toContain(field);
    for (const prefix of ['vi', 'handover']) expect(fields.some((f) => f.startsWith(prefix))).toBe(true);
    const noDetails = await call('POST', '/api/v1/records', { token: guard, body: { ...handoverBody(), handover: undefined } });
    expect(noDetails.status).toBe(400);
    expect((noDetails.body.errors as { field: string }[]).map((e) => e.field)).toContain('handover');
    const { id, etag } = await register();
    const badStep = await call('POST', `/api/v1/records/${id}/seal`, { token: supervisor, body: { sealedOn: '12/06/2020' }, headers: { 'if-match': etag } });
    expect(badStep.status).toBe(400);
    expect((badStep.body.errors as { field: string }[]).map((e) => e.field)).toContain('sealedOn');
    const malformed = await call('POST', '/api/v1/records', { token: guard, raw: '{"kind": "HAND' });
    expect(malformed.status).toBe(400);
    for (const [body, detail] of [
      [handoverBody({ crossingCode: 'LS-NOWHERE' }), 'a border crossing or counterpart unit is not in the register (LS-NOWHERE)'],
      [handoverBody({ crossingCode: undefined }), 'a handover names the border crossing where it took place'],
      [handoverBody({ persons: [1, 2, 3].map((n) => ({ fullName: `Người ${n}` })) }), 'a handover cannot name more persons than its count'],
      [handoverBody({ occurredOn: '2099-01-01' }), 'a date cannot be later than today'],
      [{ ...handoverBody(), meeting: { level: 'PROVINCE', place: 'x', agreedPoints: [] } }, 'the details do not match the kind of record'],
    ] as const) {
      const refused = await call('POST', '/api/v1/records', { token: guard, body });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toBe(detail);
    }
    expect(await eventCount()).toBe(before + 1);
  });

  it('answers 401 without a token, 403 outside the province or to other agencies, 404 and 422 for what is not there yet', async () => {
    const { id, etag } = await register();
    expect((await call('GET', `/api/v1/records/${id}`)).status).toBe(401);
    expect((await call('POST', '/api/v1/records', { body: handoverBody() })).status).toBe(401);
    const quangNinh = await token('22-BORDER_GUARD', ['22']);
    expect((await call('GET', `/api/v1/records/${id}`, { token: quangNinh })).status).toBe(403);
    // As cases answers a person outside the caller's scope: 403 for what exists, 404 only for what exists nowhere.
    expect((await call('GET', `/api/v1/records/${id}/seal`, { token: quangNinh })).status).toBe(403);
    expect((await call('GET', `/api/v1/records/${id}/export.pdf`, { token: quangNinh })).status).toBe(403);
    expect(
      (await call('POST', `/api/v1/records/${id}/reply`, { token: quangNinh, body: { receivedOn: '2020-06-13' }, headers: { 'if-match': etag } })).status,
    ).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/records/${id}/seal`, {
          token: await token('22-BORDER_GUARD', ['22'], ['supervisor']),
          body: { sealedOn: '2020-06-12' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/records/${crypto.randomUUID()}`, { token: quangNinh })).status).toBe(404);
    // Foreign affairs reads meetings only: a handover of its own province is out of its scope.
    const foreignAffairs = await token('20-FOREIGN_AFFAIRS', ['20']);
    expect((await call('GET', `/api/v1/records/${id}`, { token: foreignAffairs })).status).toBe(403);
    expect((await call('GET', `/api/v1/records/${id}/seal`, { token: foreignAffairs })).status).toBe(403);
    const listed = await call('GET', '/api/v1/records', { token: foreignAffairs });
    expect(listed.status).toBe(200);
    expect((listed.body.items as { kind: string }[]).every((item) => item.kind === 'MEETING')).toBe(true);
    expect((await call('POST', `/api/v1/records/${id}/translation`, { token: quangNinh, body: translation, headers: { 'if-match': etag } })).status).toBe(403);
    expect((await call('POST', '/api/v1/records', { token: quangNinh, body: handoverBody() })).status).toBe(403);
    expect((await call('GET', '/api/v1/records?provinceCode=20', { token: quangNinh })).status).toBe(403);
    const health = await token('20-HEALTH', ['20']);
    expect((await call('GET', `/api/v1/records/${id}`, { token: health })).status).toBe(403);
    const notSealed = await call('GET', `/api/v1/records/${id}/seal`, { token: guard });
    expect(notSealed.status).toBe(404);
    expect(notSealed.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('GET', `/api/v1/records/${id}/export.pdf`, { token: guard })).status).toBe(422);
    expect((await call('GET', `/api/v1/records/${crypto.randomUUID()}/seal`, { token: guard })).status).toBe(404);
    expect(
      (
        await call('POST', `/api/v1/records/${crypto.randomUUID()}/seal`, {
          token: supervisor,
          body: { sealedOn: '2020-06-12' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(404);
    // Against the policy the app runs with: the service's actions and the platform's (integrity, break-glass).
    expect(findUnguardedHandlers(running.service.app)).toEqual([]);
    expect(crossBorderPolicy.actions.length).toBeGreaterThan(0);
  });

  it('lists the registers: 2 international, 1 main and 9 secondary crossings, with names in both languages', async () => {
    const crossings = await call('GET', '/api/v1/border-crossings', { token: guard });
    expect(crossings.status).toBe(200);
    const items = crossings.body.items as { crossingClass: string; nameVi: string; nameZh: string }[];
    const count = (c: string) => items.filter((i) => i.crossingClass === c).length;
    expect([count('INTERNATIONAL'), count('MAIN'), count('SECONDARY')]).toEqual([2, 1, 9]);
    expect(items[0]).toMatchObject({ nameVi: 'Cửa khẩu quốc tế Hữu Nghị', nameZh: expect.stringContaining('友谊关') });
    const units = await call('GET', '/api/v1/counterpart-units', { token: guard });
    expect((units.body.items as { nameZh: string }[]).some((u) => u.nameZh === '凭祥市公安局')).toBe(true);
    // Quảng Ninh's officers see no Lạng Sơn crossing.
    expect((await call('GET', '/api/v1/border-crossings', { token: await token('22-BORDER_GUARD', ['22']) })).body.items).toEqual([]);
  });
});
