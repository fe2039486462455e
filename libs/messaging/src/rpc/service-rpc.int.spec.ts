import { randomBytes } from 'node:crypto';
import { WrongExpectedVersionError } from '@haidang/event-store';
import { resolveTestNatsUrl } from '@haidang/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Ctx, MessagePattern, NatsContext, Payload, type ClientProxy } from '@nestjs/microservices';
import { InProcessRpcBroker, InProcessRpcClient, InProcessRpcServer } from './in-process-transport';
import { correlatedReply, readMessageContext, type MessageContext } from './message-context';
import { natsClientOptions, natsServerOptions } from './nats-options';
import { RemoteDomainError, RemoteErrorFilter, RemoteServiceError, ServiceUnavailableError } from './rpc-errors';
import { ServiceClient } from './service-client';

jest.setTimeout(20_000);

// Patterns of their own, so concurrent runs on one nats-server do not answer each other.
const P = `t${randomBytes(4).toString('hex')}.cases`;
const seen: MessageContext[] = [];

@Controller()
class PersonsController {
  @MessagePattern(`${P}.persons.get`)
  get(@Payload() data: { id: string }, @Ctx() ctx: NatsContext) {
    const context = readMessageContext(ctx);
    seen.push(context);
    return correlatedReply({ id: data.id, name: 'Nguyễn Văn A' }, context);
  }

  @MessagePattern(`${P}.rehab-cases.start-after-care`)
  startAfterCare(): never {
    throw new RemoteDomainError(422, 'rehab-not-completed', 'post-rehab management cannot start before rehab is completed', { caseId: 'c-1' });
  }

  @MessagePattern(`${P}.rehab-cases.stale`)
  stale(): never {
    throw new WrongExpectedVersionError('RehabCase-1', 3n, 4n);
  }

  @MessagePattern(`${P}.broken`)
  broken(): never {
    throw new Error('connection string postgres://admin:secret@db leaked?');
  }

  @MessagePattern(`${P}.slow`)
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return 'too late';
  }

  @MessagePattern(`${P}.double`)
  double(@Payload() n: number): number {
    return n * 2;
  }
}

@Module({ controllers: [PersonsController] })
class CasesModule {}

interface Transport {
  readonly app: INestMicroservice;
  readonly proxy: ClientProxy;
}

const transports: Array<[string, () => Promise<Transport>]> = [
  [
    'NATS',
    async () => {
      const servers = await resolveTestNatsUrl();
      const app = await NestFactory.createMicroservice(CasesModule, { ...natsServerOptions({ servers, service: 'cases' }), logger: false });
      app.useGlobalFilters(new RemoteErrorFilter());
      await app.listen();
      const proxy = ClientProxyFactory.create(natsClientOptions({ servers }));
      await proxy.connect();
      return { app, proxy };
    },
  ],
  [
    'in-process',
    async () => {
      const broker = new InProcessRpcBroker();
      const app = await NestFactory.createMicroservice(CasesModule, { strategy: new InProcessRpcServer(broker), logger: false });
      app.useGlobalFilters(new RemoteErrorFilter());
      await app.listen();
      return { app, proxy: new InProcessRpcClient(broker) };
    },
  ],
];

describe.each(transports)('service request/reply over %s', (_name, start) => {
  let transport: Transport;
  let client: ServiceClient;

  beforeAll(async () => {
    transport = await start();
    client = new ServiceClient(transport.proxy, { service: 'cases', timeoutMs: 500 });
  });

  afterAll(async () => {
    await transport.proxy.close();
    await transport.app.close();
  });

  it('carries the caller context to the handler in headers, and the correlation id back', async () => {
    const context = { correlationId: 'corr-123', causationId: 'cmd-9', actor: 'user-7', agency: '22-DOLISA' };
    const reply = await client.requestWithReply<{ id: string; name: string }>(`${P}.persons.get`, { id: 'p-1' }, context);
    expect(reply).toEqual({ data: { id: 'p-1', name: 'Nguyễn Văn A' }, correlationId: 'corr-123' });
    expect(seen[seen.length - 1]).toEqual(context);
  });

  it('takes the ambient context when a call names none, and starts a correlation when there is none', async () => {
    const ambient = new ServiceClient(transport.proxy, { service: 'cases', context: () => ({ correlationId: 'from-als' }) });
    expect((await ambient.requestWithReply(`${P}.persons.get`, { id: 'p-2' })).correlationId).toBe('from-als');
    const fresh = await client.requestWithReply(`${P}.persons.get`, { id: 'p-3' });
    expect(fresh.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[seen.length - 1]?.correlationId).toBe(fresh.correlationId);
  });

  it('returns a plain result as is', async () => {
    expect(await client.request<number>(`${P}.double`, 21)).toBe(42);
  });

  it('turns a domain refusal into a RemoteServiceError with its 4xx', async () => {
    const error = await client.request(`${P}.rehab-cases.start-after-care`, { caseId: 'c-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteServiceError);
    expect(error).toMatchObject({ httpStatus: 422, code: 'rehab-not-completed', details: { caseId: 'c-1' }, service: 'cases' });
    expect((error as Error).message).toBe('post-rehab management cannot start before rehab is completed');
  });

  it('maps a stale expected version to 409', async () => {
    const error = await client.request(`${P}.rehab-cases.stale`, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 409, code: 'wrong-expected-version' });
  });

  it('answers a handler crash as 502 without its internals', async () => {
    const error = await client.request(`${P}.broken`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteServiceError);
    expect(error).toMatchObject({ httpStatus: 502, code: 'internal' });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('secret');
  });

  it('gives up after the timeout with ServiceUnavailableError (503)', async () => {
    const error = await client.request(`${P}.slow`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, reason: 'timeout' });
  });

  it('reports a pattern nobody serves as ServiceUnavailableError at once', async () => {
    const error = await client.request(`${P}.nobody.home`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, reason: 'no-responders' }); // not 'timeout': told at once
  });
});
