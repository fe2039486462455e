/**
 * `cases.persons.get` / `cases.rehab-cases.get` called as another service would: a ServiceClient
 * forwarding the user's dev token, over real NATS and over the in-process transport, against real
 * PostgreSQL. Replies are checked against the libs/contracts validators, which refuse any field
 * the contract does not name (a name, say).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import {
  CasesSubjects,
  validatePersonsGetResponseV1,
  validateRehabCasesGetResponseV1,
  type PersonsGetResponseV1,
  type RehabCasesGetResponseV1,
} from '@haidang/contracts';
import { InProcessRpcClient, natsClientOptions, RemoteServiceError, ServiceClient, type MessageContext } from '@haidang/messaging';
import { createTestDatabase, resolveTestNatsUrl, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

type Transport = 'NATS' | 'in-process';

describe.each<Transport>(['NATS', 'in-process'])('cases request/reply over %s', (transport) => {
  // Subjects of this run's own, so concurrent runs on one nats-server never answer each other.
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  let database: TestDatabase;
  let cases: CasesService;
  let proxy: ClientProxy;
  let client: ServiceClient;
  let personId: string;
  let caseId: string;
  const tokenFor = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const as = async (agency: string, units: string[], roles: string[] = ['caseworker']): Promise<MessageContext> => ({
    correlationId: randomUUID(),
    authorization: `Bearer ${await tokenFor(agency, roles, units)}`,
  });
  const post = async (path: string, token: string, body: unknown) => {
    const response = await fetch(`${cases.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const refusal = async (promise: Promise<unknown>): Promise<RemoteServiceError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteServiceError);
    return error as RemoteServiceError;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    const natsUrl = transport === 'NATS' ? await resolveTestNatsUrl() : '';
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl, rpcSubjectPrefix: prefix });
    if (transport === 'NATS') {
      expect(cases.rpc.transport).toBe('nats');
      proxy = ClientProxyFactory.create(natsClientOptions({ servers: natsUrl }));
      await proxy.connect();
    } else {
      if (cases.rpc.transport !== 'in-process') throw new Error('expected the in-process transport');
      proxy = new InProcessRpcClient(cases.rpc.broker);
    }
    client = new ServiceClient(proxy, { service: 'cases', timeoutMs: 5_000 });

    const commune = await tokenFor('22-COMMUNE-06793', ['caseworker'], ['06793']);
    personId = (
      await post('/api/v1/persons', commune, {
        fullName: 'Nguyễn Văn An',
        personalId: '022090001234',
        dateOfBirth: '1990-05-17',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3, khu 5' },
      })
    ).id;
    caseId = (
      await post('/api/v1/rehab-cases', commune, {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      })
    ).id;
  });

  afterAll(async () => {
    await proxy?.close();
    await cases?.stop();
    await database?.drop();
  });

  it('answers cases.persons.get with the contract fields only, no name, and the correlation id back', async () => {
    const context = await as('22-COMMUNE-06793', ['06793']);
    const reply = await client.requestWithReply<PersonsGetResponseV1>(`${prefix}${CasesSubjects.PersonsGet}`, { personId }, context);
    expect(reply.correlationId).toBe(context.correlationId);
    expect(reply.data).toEqual({ personId, communeCode: '06793', provinceCode: '22', erased: false, version: 0 });
    expect(validatePersonsGetResponseV1(reply.data).ok).toBe(true);
    const wire = JSON.stringify(reply.data);
    for (const secret of ['Nguy', 'An', '022090001234', '1990', 'Tổ 3']) expect(wire).not.toContain(secret);
    // The lookup is about a person, so it is on their access log, attributed to the caller.
    const log = await readAccessLog(cases.store, personId);
    expect(log.some((r) => r.purpose === 'referral-check')).toBe(true);
  });

  it('lets a provincial agency look up any person of the province', async () => {
    const police = await as('22-POLICE', ['22']);
    expect(await client.request<PersonsGetResponseV1>(`${prefix}${CasesSubjects.PersonsGet}`, { personId }, police)).toMatchObject({
      personId,
      communeCode: '06793',
    });
  });

  it('answers cases.rehab-cases.get with the contract fields only', async () => {
    // A provincial agency that exists today (DOLISA's tokens are refused since 2025-03-01, ADR 0010).
    const context = await as('22-POLICE', ['22']);
    const reply = await client.requestWithReply<RehabCasesGetResponseV1>(`${prefix}${CasesSubjects.RehabCasesGet}`, { caseId }, context);
    expect(reply.correlationId).toBe(context.correlationId);
    expect(reply.data).toEqual({ caseId, personId, status: 'FORM_DECIDED', form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', version: 1 });
    expect(validateRehabCasesGetResponseV1(reply.data).ok).toBe(true);
  });

  it('refuses a neighbouring commune with 403, on both subjects', async () => {
    const neighbour = await as('22-COMMUNE-06794', ['06794']);
    for (const [subject, payload] of [
      [CasesSubjects.PersonsGet, { personId }],
      [CasesSubjects.RehabCasesGet, { caseId }],
    ] as const) {
      const error = await refusal(client.request(`${prefix}${subject}`, payload, neighbour));
      expect(error.httpStatus).toBe(403);
      expect(error.code).toBe('forbidden');
      expect(error.message).not.toContain('06793');
    }
  });

  it('refuses an agency type or role the policy does not list with 403', async () => {
    const ppc = await as('22-PPC', ['22'], ['analyst']);
    expect((await refusal(client.request(`${prefix}${CasesSubjects.PersonsGet}`, { personId }, ppc))).httpStatus).toBe(403);
  });

  it('refuses a call without a token, or with a bad one, with 401', async () => {
    const none = await refusal(client.request(`${prefix}${CasesSubjects.PersonsGet}`, { personId }, { correlationId: randomUUID() }));
    expect(none.httpStatus).toBe(401);
    expect(none.code).toBe('unauthenticated');
    const forged = await refusal(
      client.request(`${prefix}${CasesSubjects.PersonsGet}`, { personId }, { correlationId: randomUUID(), authorization: 'Bearer not.a.jwt' }),
    );
    expect(forged.httpStatus).toBe(401);
  });

  it('answers an unknown id with 404 and a malformed request with 400', async () => {
    const context = await as('22-COMMUNE-06793', ['06793']);
    const person = await refusal(client.request(`${prefix}${CasesSubjects.PersonsGet}`, { personId: randomUUID() }, context));
    expect([person.httpStatus, person.code]).toEqual([404, 'not-found']);
    const rehabCase = await refusal(client.request(`${prefix}${CasesSubjects.RehabCasesGet}`, { caseId: randomUUID() }, context));
    expect([rehabCase.httpStatus, rehabCase.code]).toEqual([404, 'not-found']);
    const malformed = await refusal(client.request(`${prefix}${CasesSubjects.PersonsGet}`, { personId: 'nope', fullName: 'x' }, context));
    expect([malformed.httpStatus, malformed.code]).toEqual([400, 'invalid-request']);
  });

  it('has a policy on every route and message handler', () => {
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy })).toEqual([]);
  });
});
