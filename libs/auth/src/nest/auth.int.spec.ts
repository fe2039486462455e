import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextHeaders, natsClientOptions, natsServerOptions } from '@haidang/messaging';
import { currentContext, type Principal } from '@haidang/request-context';
import { resolveTestNatsUrl } from '@haidang/testing';
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, EventPattern, MessagePattern, NatsRecordBuilder, type ClientProxy } from '@nestjs/microservices';
import { exportJWK, SignJWT } from 'jose';
import { firstValueFrom } from 'rxjs';
import { createJwtVerifier } from '../identity/jwt-verifier';
import { definePolicy, prefixJurisdiction } from '../policy/policy';
import { AuthModule } from './auth.module';
import { bearer } from './bearer';
import { Authorize, CurrentPrincipal, Public } from './decorators';
import { findUnguardedHandlers } from './find-unguarded-handlers';
import { currentAuthorization } from './principal-context.interceptor';
import { AUTHORIZATION_HEADER } from './tokens';

jest.setTimeout(30_000);

// Patterns of their own, so concurrent runs on one nats-server do not answer each other.
const P = `t${randomBytes(4).toString('hex')}.auth`;

const policy = definePolicy({
  'persons.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'PPC'],
    roles: ['caseworker', 'supervisor', 'analyst'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', PPC: 'aggregates-only' },
  },
});
const jurisdiction = prefixJurisdiction((unit) => ({ '06793': '22', '06794': '22' })[unit]);

@Controller('health')
@Public()
class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

@Controller('api/v1')
class PersonsController {
  @Get('units/:unit/persons')
  @Authorize('persons.read')
  list(@Param('unit') unit: string, @CurrentPrincipal() principal: Principal) {
    policy.assertInScope(principal, 'persons.read', { unitCodes: [unit] }, jurisdiction);
    return {
      aggregatesOnly: policy.isAggregatesOnly(principal, 'persons.read'),
      // What event metadata would be filled from: the request context, not the request object.
      actor: currentContext()?.principal?.sub,
      forwarded: currentAuthorization() !== undefined,
    };
  }

  @Get('forgotten')
  forgotten() {
    return { leaked: true };
  }

  @Get('misspelt')
  @Authorize('persons.raed')
  misspelt() {
    return { leaked: true };
  }
}

@Controller()
class PersonsMessages {
  @MessagePattern(`${P}.persons.count`)
  @Authorize('persons.read')
  count() {
    return { count: 3, actor: currentContext()?.principal?.sub, agency: currentContext()?.principal?.agency.code };
  }

  @MessagePattern(`${P}.persons.export`)
  exportAll() {
    return { leaked: true };
  }

  @EventPattern(`${P}.persons.changed`)
  changed(_event: unknown): void {
    // Nothing: this handler exists to be found by findUnguardedHandlers.
  }
}

function keyPair(): { privateKey: KeyObject; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

const keys = keyPair();

async function token(
  body: { agency: string; roles: string[]; jurisdiction: string[] },
  options: { key?: KeyObject; aud?: string; exp?: number; alg?: string; kid?: string } = {},
): Promise<string> {
  const header = { alg: options.alg ?? 'EdDSA', ...(options.kid ? { kid: options.kid } : {}) };
  return new SignJWT(body)
    .setProtectedHeader(header)
    .setSubject('officer-7')
    .setIssuer('haidang')
    .setAudience(options.aud ?? 'haidang-api')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(options.key ?? keys.privateKey);
}

const commune = { agency: '22-COMMUNE-06793', roles: ['caseworker'], jurisdiction: ['06793'] };

describe('AuthModule in a Nest app (HTTP and NATS)', () => {
  let app: INestApplication;
  let base: string;
  let proxy: ClientProxy;

  @Module({
    imports: [AuthModule.forRoot({ verifier: { publicKeyPem: keys.pem, issuer: 'haidang', audience: 'haidang-api' }, policy })],
    controllers: [HealthController, PersonsController, PersonsMessages],
  })
  class AppModule {}

  beforeAll(async () => {
    const servers = await resolveTestNatsUrl();
    app = await NestFactory.create(AppModule, { logger: false });
    // inheritAppConfig: without it the app's global guards do not reach the message handlers.
    app.connectMicroservice({ ...natsServerOptions({ servers, service: 'auth-test' }), logger: false }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    proxy = ClientProxyFactory.create(natsClientOptions({ servers }));
    await proxy.connect();
  });

  afterAll(async () => {
    await proxy?.close();
    await app?.close();
  });

  const get = (path: string, jwt?: string) => fetch(`${base}${path}`, { headers: jwt ? { authorization: `Bearer ${jwt}` } : {} });

  async function expectProblem(response: Response, status: 401 | 403, secret?: string): Promise<Record<string, unknown>> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const text = await response.text();
    if (secret) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('officer-7');
      expect(text).not.toContain('06793');
    }
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toEqual({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Forbidden', status, detail: expect.any(String) });
    return body;
  }

  it('refuses a request without a token with 401 problem+json', async () => {
    await expectProblem(await get('/api/v1/units/06793/persons'), 401);
    const basic = await fetch(`${base}/api/v1/units/06793/persons`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    await expectProblem(basic, 401);
  });

  it('refuses a bad signature, an expired token and a wrong audience with 401, never echoing the token', async () => {
    const forged = await token(commune, { key: keyPair().privateKey });
    await expectProblem(await get('/api/v1/units/06793/persons', forged), 401, forged);
    const expired = await token(commune, { exp: Math.floor(Date.now() / 1000) - 3600 });
    const body = await expectProblem(await get('/api/v1/units/06793/persons', expired), 401, expired);
    expect(body['detail']).toMatch(/expired/);
    const otherApi = await token(commune, { aud: 'someone-else' });
    await expectProblem(await get('/api/v1/units/06793/persons', otherApi), 401, otherApi);
  });

  it('refuses the wrong agency type or role with 403', async () => {
    const facility = await token({ agency: '22-REHAB_FACILITY-1', roles: ['caseworker'], jurisdiction: ['22'] });
    expect((await expectProblem(await get('/api/v1/units/06793/persons', facility), 403, facility))['detail']).toMatch(/agency/);
    const auditor = await token({ ...commune, roles: ['auditor'] });
    expect((await expectProblem(await get('/api/v1/units/06793/persons', auditor), 403, auditor))['detail']).toMatch(/roles/);
  });

  it('refuses a token of a dissolved agency type (DOLISA, ended 2025-02-28) with 403 agency-dissolved, roles granted or not', async () => {
    // The app runs on the system clock: every day since 2025-03-01 is after DOLISA's end.
    for (const roles of [['supervisor'], ['auditor']]) {
      const dolisa = await token({ agency: '22-DOLISA', roles, jurisdiction: ['22'] });
      const response = await get('/api/v1/units/06793/persons', dolisa);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const text = await response.text();
      expect(text).not.toContain(dolisa);
      expect(JSON.parse(text)).toEqual({
        type: 'urn:haidang:problem:agency-dissolved',
        title: 'Forbidden',
        status: 403,
        detail: expect.stringMatching(/no longer exists/),
      });
    }
  });

  it('refuses a unit outside the jurisdiction with 403 (checked in the handler)', async () => {
    const jwt = await token(commune);
    await expectProblem(await get('/api/v1/units/06794/persons', jwt), 403, jwt);
  });

  it('allows the right principal, with the principal in the request context', async () => {
    const response = await get('/api/v1/units/06793/persons', await token(commune));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ aggregatesOnly: false, actor: 'officer-7', forwarded: true });
    const ppc = await get('/api/v1/units/06794/persons', await token({ agency: '22-PPC', roles: ['analyst'], jurisdiction: ['22'] }));
    expect(await ppc.json()).toMatchObject({ aggregatesOnly: true });
  });

  it('serves a @Public health route without a token', async () => {
    const response = await get('/health/live');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('denies by default: a route without @Authorize, or with an action not in the policy, is 403 even for a valid token', async () => {
    const jwt = await token(commune);
    await expectProblem(await get('/api/v1/forgotten', jwt), 403, jwt);
    await expectProblem(await get('/api/v1/misspelt', jwt), 403, jwt);
  });

  it('lists every handler the policy does not govern', () => {
    expect(findUnguardedHandlers(app).sort()).toEqual(
      [
        `EventPattern ${P}.persons.changed (PersonsMessages.changed): neither @Authorize nor @Public`,
        'GET /api/v1/forgotten (PersonsController.forgotten): neither @Authorize nor @Public',
        "GET /api/v1/misspelt (PersonsController.misspelt): @Authorize('persons.raed') is not in the policy",
        `MessagePattern ${P}.persons.export (PersonsMessages.exportAll): neither @Authorize nor @Public`,
      ].sort(),
    );
  });

  describe('over NATS: the caller forwards the bearer token in the Authorization header', () => {
    const send = async (pattern: string, jwt?: string): Promise<unknown> => {
      const headers = contextHeaders({ correlationId: 'corr-1' });
      if (jwt) headers.set(AUTHORIZATION_HEADER, bearer(jwt));
      const record = new NatsRecordBuilder({}).setHeaders(headers).build();
      return firstValueFrom(proxy.send(pattern, record)).catch((error: unknown) => ({ refused: error }));
    };

    it('runs an authorized handler with the principal in the request context', async () => {
      expect(await send(`${P}.persons.count`, await token(commune))).toEqual({ count: 3, actor: 'officer-7', agency: '22-COMMUNE-06793' });
    });

    it('refuses a message without a token (401), with the wrong role (403), and a handler without @Authorize (403)', async () => {
      expect(await send(`${P}.persons.count`)).toEqual({ refused: expect.objectContaining({ status: 401, code: 'unauthenticated' }) });
      const auditor = await token({ ...commune, roles: ['auditor'] });
      expect(await send(`${P}.persons.count`, auditor)).toEqual({ refused: expect.objectContaining({ status: 403, code: 'forbidden' }) });
      expect(await send(`${P}.persons.export`, await token(commune))).toEqual({ refused: expect.objectContaining({ status: 403 }) });
    });
  });
});

describe('a standalone NATS microservice with AuthModule', () => {
  it('guards its message handlers the same way', async () => {
    const servers = await resolveTestNatsUrl();
    @Module({
      imports: [AuthModule.forRoot({ verifier: { publicKeyPem: keys.pem, issuer: 'haidang', audience: 'haidang-api' }, policy })],
      controllers: [PersonsMessages],
    })
    class Messages {}
    const service = await NestFactory.createMicroservice(Messages, {
      ...natsServerOptions({ servers, service: 'auth-test-standalone', queue: `q-${P}` }),
      logger: false,
    });
    await service.listen();
    const client = ClientProxyFactory.create(natsClientOptions({ servers }));
    await client.connect();
    try {
      const send = (jwt?: string) => {
        const headers = contextHeaders({ correlationId: 'corr-2' });
        if (jwt) headers.set(AUTHORIZATION_HEADER, bearer(jwt));
        return firstValueFrom(client.send(`${P}.persons.count`, new NatsRecordBuilder({}).setHeaders(headers).build())).catch((error: unknown) => ({
          refused: error,
        }));
      };
      expect(await send()).toEqual({ refused: expect.objectContaining({ status: 401, code: 'unauthenticated' }) });
      const facility = await token({ agency: '22-REHAB_FACILITY-1', roles: ['caseworker'], jurisdiction: ['22'] });
      expect(await send(facility)).toEqual({ refused: expect.objectContaining({ status: 403, code: 'forbidden' }) });
    } finally {
      await client.close();
      await service.close();
    }
  });
});

describe('an app without AuthModule', () => {
  it('is reported as a whole', async () => {
    @Module({ controllers: [HealthController] })
    class Bare {}
    const app = await NestFactory.createApplicationContext(Bare, { logger: false });
    try {
      expect(findUnguardedHandlers(app)).toEqual(['app: AuthModule.forRoot(...) is not imported, so no handler is guarded']);
    } finally {
      await app.close();
    }
  });

  it('reports a @Public route that is not health, metrics or docs', async () => {
    @Controller('api/v1/persons')
    @Public()
    class Leaky {
      @Get()
      all() {
        return [];
      }
    }
    @Module({
      imports: [AuthModule.forRoot({ verifier: { publicKeyPem: keys.pem, issuer: 'haidang', audience: 'haidang-api' }, policy })],
      controllers: [Leaky, HealthController],
    })
    class M {}
    const app = await NestFactory.createApplicationContext(M, { logger: false });
    try {
      expect(findUnguardedHandlers(app)).toEqual(['GET /api/v1/persons (Leaky.all): @Public() is only for health, metrics and docs']);
    } finally {
      await app.close();
    }
  });
});

describe('JWKS verification', () => {
  let server: Server;
  let jwksUrl: string;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies a token signed with a key the JWKS publishes, and refuses one it does not', async () => {
    const verifier = createJwtVerifier({ jwksUrl, issuer: 'haidang', audience: 'haidang-api' });
    await expect(verifier.verify(await token(commune, { key: privateKey, alg: 'ES256', kid: 'k1' }))).resolves.toMatchObject({
      sub: 'officer-7',
      agency: { code: '22-COMMUNE-06793' },
    });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expect(verifier.verify(await token(commune, { key: other, alg: 'ES256', kid: 'k1' }))).rejects.toMatchObject({ reason: 'invalid-signature' });
    await expect(verifier.verify(await token(commune, { key: other, alg: 'ES256', kid: 'k2' }))).rejects.toMatchObject({ reason: 'invalid-signature' });
  });
});
