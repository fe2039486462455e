/**
 * Traces (issue 16 §5): one trace follows a request across two services. With an in-memory
 * exporter in place of OTLP: (1) a referral posted to `referrals` asks `cases` over NATS
 * request/reply — the HTTP span, the cases RPC span, the command and its append share one trace;
 * (2) an erasure posted to `cases` goes HTTP → command → append → cases' integration-event
 * projection → outbox → JetStream → the referrals consumer that shreds its key: one trace again,
 * every span with the correlation id or the service named.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { signDevToken } from '@haidang/auth';
import { JetStreamEventBus } from '@haidang/messaging';
import { startTelemetry, type Telemetry } from '@haidang/telemetry';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(120_000);

const traceOf = (span: ReadableSpan): string => span.spanContext().traceId;

describe('OpenTelemetry: one trace across two services', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let nats: NatsServerHandle;
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let casesBus: JetStreamEventBus;
  let referralsBus: JetStreamEventBus;
  let cases: CasesService;
  let referrals: ReferralsService;
  let personId: string;

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const serverSpan = (service: string, route: string): ReadableSpan | undefined =>
    spans().find((s) => s.attributes['haidang.service'] === service && s.attributes['http.route'] === route);

  beforeAll(async () => {
    telemetry = startTelemetry({ service: 'haidang-test', exporter });
    nats = await startNatsServer();
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    casesBus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
    referralsBus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
    const prefix = `trace${process.pid}.`;
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: nats.url, rpcSubjectPrefix: prefix, bus: casesBus });
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      casesSubjectPrefix: prefix,
      casesTimeoutMs: 3_000,
      bus: referralsBus,
    });
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const person = await fetch(`${cases.url}/api/v1/persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${commune}` },
      body: JSON.stringify({
        fullName: 'Vũ Văn Đạt',
        dateOfBirth: '1989-03-04',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3' },
      }),
    });
    expect(person.status).toBe(201);
    personId = ((await person.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await Promise.all([casesBus?.close(), referralsBus?.close()]);
    await telemetry?.shutdown();
    await nats?.destroy();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('follows a referral from its HTTP request into the cases service over request/reply', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const response = await fetch(`${referrals.url}/api/v1/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${commune}`, 'x-correlation-id': 'trace-test-referral' },
      body: JSON.stringify({ personId, toAgency: '22-EMPLOYMENT_CENTRE', serviceType: 'JOB_COUNSELLING', reason: 'Muốn tìm việc', urgency: 'NORMAL' }),
    });
    expect(response.status).toBe(201);
    await waitFor(async () => serverSpan('referrals', '/api/v1/referrals') !== undefined, { timeoutMs: 5_000, description: 'the HTTP span ended' });
    const http = serverSpan('referrals', '/api/v1/referrals') as ReadableSpan;
    expect(http.attributes['haidang.correlation_id']).toBe('trace-test-referral');
    const trace = spans().filter((s) => traceOf(s) === traceOf(http));
    // The cases service answered inside the same trace, and the command appended inside it.
    expect(trace.some((s) => s.name.startsWith('RPC ') && s.attributes['haidang.service'] === 'cases')).toBe(true);
    expect(trace.some((s) => s.name.startsWith('command Referral'))).toBe(true);
    expect(trace.some((s) => s.name === 'append')).toBe(true);
  });

  it('follows an erasure from cases through the outbox and JetStream into the referrals consumer', async () => {
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    const erased = await fetch(`${cases.url}/api/v1/persons/${personId}/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dpo}`, 'if-match': '"0"', 'x-correlation-id': 'trace-test-erasure' },
      body: JSON.stringify({ reference: 'DP-2026-TRACE' }),
    });
    expect(erased.status).toBe(200);
    await waitFor(async () => serverSpan('cases', '/api/v1/persons/:id/erasure') !== undefined, { timeoutMs: 5_000, description: 'the HTTP span ended' });
    const http = serverSpan('cases', '/api/v1/persons/:id/erasure') as ReadableSpan;
    const inTrace = (): ReadableSpan[] => spans().filter((s) => traceOf(s) === traceOf(http));
    await waitFor(async () => inTrace().some((s) => s.name.startsWith('consume ')), {
      timeoutMs: 30_000,
      description: 'the referrals consumer in the same trace',
    });
    const names = inTrace().map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['append', expect.stringMatching(/^command Person\./), expect.stringMatching(/^project /), expect.stringMatching(/^consume /)]),
    );
    // No span carries a payload: attributes are ids, names and codes.
    expect(JSON.stringify(inTrace().map((s) => s.attributes))).not.toContain('DP-2026-TRACE');
  });
});
