/**
 * `cases.persons.register` called as the cross-border service calls it (a ServiceClient forwarding
 * the border guard's token) over the in-process transport against real PostgreSQL — the same
 * registration as `POST /api/v1/persons`: ids in the reply, the caller's scope, field-by-field
 * refusals, and the caller's key making a repeat answer the same person and append nothing. (Over
 * real NATS: test/cross-border/handover-to-referral.int.spec.ts.)
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { CasesSubjects, validatePersonsRegisterResponseV1, type PersonsRegisterResponseV1 } from '@haidang/contracts';
import { InProcessRpcClient, RemoteServiceError, ServiceClient, type MessageContext } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, personIdFor, startCasesService, type CasesService } from '../../cases-service';

jest.setTimeout(90_000);

describe('cases.persons.register over request/reply', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let client: ServiceClient;
  const as = async (agency: string, units: string[]): Promise<MessageContext> => ({
    correlationId: randomUUID(),
    authorization: `Bearer ${await signDevToken({ agency, roles: ['caseworker'], units })}`,
  });
  const request = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: 'cross-border:handed-over-person:7a1d2c3e-0000-4000-8000-000000000001',
    fullName: 'Lục Thị Hoa',
    dateOfBirth: '2001-03-14',
    sex: 'FEMALE',
    residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn Nà Phai' },
    ...over,
  });
  const register = async (payload: unknown, context: MessageContext) =>
    client.request<PersonsRegisterResponseV1>(CasesSubjects.PersonsRegister, payload, context);
  const refusal = async (promise: Promise<unknown>): Promise<RemoteServiceError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteServiceError);
    return error as RemoteServiceError;
  };
  const registrations = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE event_type = 'PersonRegistered'`)).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    if (cases.rpc.transport !== 'in-process') throw new Error('expected the in-process transport');
    client = new ServiceClient(new InProcessRpcClient(cases.rpc.broker), { service: 'cases', timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('registers the person as POST /persons would, answers ids only, and answers a repeat with the same person', async () => {
    const guard = await as('20-BORDER_GUARD', ['20']);
    const reply = await register(request(), guard);
    expect(validatePersonsRegisterResponseV1(reply).ok).toBe(true);
    expect(reply).toEqual({ personId: personIdFor('20-BORDER_GUARD', request().idempotencyKey), version: 0 });
    const read = await fetch(`${cases.url}/api/v1/persons/${reply.personId}`, { headers: { authorization: guard.authorization as string } });
    expect(await read.json()).toMatchObject({
      fullName: 'Lục Thị Hoa',
      dateOfBirth: '2001-03-14',
      residence: { communeCode: '05977', address: 'Thôn Nà Phai' },
    });
    const before = await registrations();
    expect(await register(request(), await as('20-BORDER_GUARD', ['20']))).toEqual(reply);
    expect(await registrations()).toBe(before);
    // The same key for another person is not a repeat.
    expect((await refusal(register(request({ fullName: 'Hoàng Thị Lan' }), guard))).remoteStatus).toBe(422);
    expect(await registrations()).toBe(before);
  });

  it('refuses outside the caller’s scope (403), without a token (401), and names each bad field (400), registering nothing', async () => {
    const before = await registrations();
    const other = await refusal(register(request({ idempotencyKey: 'other-province-0001' }), await as('22-BORDER_GUARD', ['22'])));
    expect(other.remoteStatus).toBe(403);
    expect((await refusal(register(request({ idempotencyKey: 'no-token-0001' }), { correlationId: randomUUID() }))).remoteStatus).toBe(401);
    const guard = await as('20-BORDER_GUARD', ['20']);
    const shape = await refusal(register(request({ idempotencyKey: 'bad-0001', dateOfBirth: '2001-02-30', sex: 'X' }), guard));
    expect(shape.remoteStatus).toBe(400);
    expect(JSON.stringify(shape.details)).toContain('dateOfBirth');
    expect(JSON.stringify(shape.details)).toContain('sex');
    const province = await refusal(
      register(request({ idempotencyKey: 'bad-0002', residence: { provinceCode: '22', communeCode: '05977', address: 'x' } }), guard),
    );
    expect(province.remoteStatus).toBe(400);
    expect(JSON.stringify(province.details)).toContain('residence.provinceCode');
    expect(await registrations()).toBe(before);
  });
});
