/**
 * A small service built only from the shared libraries, as every real service will be: identity and
 * deny-by-default policy (auth), jurisdiction scoping, personal data encrypted in events (pii),
 * access records (audit), the integrity check (integrity's chain walk), and the HTTP platform.
 */
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Module, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { IsString, Length, Matches } from 'class-validator';
import type { Pool } from 'pg';
import { AuthModule, Authorize, authConfigFromEnv, CurrentPrincipal, definePolicy } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import { jsonEvent, PostgresEventStore } from '@haidang/event-store';
import { createServiceApp, postgresReadiness, type ServiceApp } from '@haidang/http-platform';
import { verifyChains } from '@haidang/integrity';
import { jurisdiction } from '@haidang/jurisdiction';
import { loadPiiKeys, PersonalDataProtector, piiMigrations } from '@haidang/pii';
import { metadataFromContext, type Principal } from '@haidang/request-context';

export const sampleMigrations = piiMigrations;

export const samplePolicy = definePolicy({
  'persons.register': { agencyTypes: ['COMMUNE'], roles: ['caseworker'], scope: 'own-jurisdiction' },
  'persons.read': {
    agencyTypes: ['COMMUNE', 'POLICE'],
    roles: ['caseworker', 'supervisor'],
    scope: { COMMUNE: 'own-jurisdiction', POLICE: 'any-in-province' },
  },
  'persons.erase': { agencyTypes: ['POLICE'], roles: ['data-protection'], scope: 'any-in-province' },
  'statistics.read': { agencyTypes: ['PPC', 'HEALTH'], roles: ['analyst', 'supervisor'], scope: 'aggregates-only' },
  'integrity.verify': { agencyTypes: ['POLICE', 'PPC', 'COMMUNE'], roles: ['auditor'], scope: 'own-agency' },
});

const PERSONAL = ['fullName', 'personalId'] as const;
const STORE = Symbol('store');
const POOL = Symbol('pool');
const PROTECTOR = Symbol('protector');

type PersonRegistered = {
  readonly fullName: string;
  readonly personalId: string;
  readonly residenceCommuneCode: string;
};

/** Test setup writes persons through the same path a service's registration would. */
export async function registerPerson(store: PostgresEventStore, protector: PersonalDataProtector, personId: string, person: PersonRegistered): Promise<void> {
  const data = await protector.protect(personId, { ...person }, [...PERSONAL]);
  await store.appendToStream(`Person-${personId}`, jsonEvent({ type: 'PersonRegistered', data, metadata: metadataFromContext() }), {
    expectedRevision: 'no_stream',
  });
}

/** The body of the sample's one command with a body: what the hostile-input suite aims at. */
export class RegisterPersonBody {
  @IsString()
  @Length(1, 200)
  readonly fullName!: string;

  @Matches(/^\d{12}$/)
  readonly personalId!: string;

  @Matches(/^\d{5}$/)
  readonly residenceCommuneCode!: string;
}

@Controller('api/v1')
class SampleController {
  constructor(
    @Inject(STORE) private readonly store: PostgresEventStore,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  /** A command over HTTP that appends an event, as a service's would (issue 10 §12: its metadata). */
  @Post('persons')
  @Authorize('persons.register')
  async register(@Body() body: RegisterPersonBody, @CurrentPrincipal() principal: Principal) {
    samplePolicy.assertInScope(principal, 'persons.register', { unitCodes: [body.residenceCommuneCode] }, jurisdiction);
    const id = randomUUID();
    await registerPerson(this.store, this.protector, id, {
      fullName: body.fullName,
      personalId: body.personalId,
      residenceCommuneCode: body.residenceCommuneCode,
    });
    return { id };
  }

  @Get('persons/:id')
  @Authorize('persons.read')
  async person(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    let registered: PersonRegistered | undefined;
    for await (const event of this.store.readStream(`Person-${id}`)) {
      if (event.type === 'PersonRegistered') registered = event.data as unknown as PersonRegistered;
    }
    if (!registered) throw new NotFoundException();
    samplePolicy.assertInScope(principal, 'persons.read', { unitCodes: [registered.residenceCommuneCode] }, jurisdiction);
    await recordAccess(this.store, { subjectId: id, action: 'read', purpose: 'case-review', fields: [...PERSONAL] });
    const revealed = await this.protector.reveal(id, registered, [...PERSONAL]);
    return { id, ...revealed };
  }

  @Post('persons/:id/erasure')
  @Authorize('persons.erase')
  async erase(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    const result = await this.protector.erase(id, { by: principal.sub, reason: 'data-subject-request' });
    return { id, erasedAt: result.erasedAt };
  }

  @Get('integrity')
  @Authorize('integrity.verify')
  async integrity() {
    return verifyChains(this.pool);
  }
}

export async function startSampleService(
  pool: Pool,
  options: { rateLimit?: { limit: number; windowMs: number; perAddressLimit?: number } } = {},
): Promise<{ service: ServiceApp; url: string; store: PostgresEventStore; protector: PersonalDataProtector }> {
  const store = new PostgresEventStore({ pool, listen: false });
  const protector = new PersonalDataProtector({ pool, keyEncryptionKeys: loadPiiKeys().keyEncryptionKeys });

  @Module({
    imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: samplePolicy })],
    controllers: [SampleController],
    providers: [
      { provide: STORE, useValue: store },
      { provide: POOL, useValue: pool },
      { provide: PROTECTOR, useValue: protector },
    ],
  })
  class SampleModule {}

  const service = await createServiceApp(SampleModule, {
    service: 'sample',
    readiness: [postgresReadiness(pool)],
    logLevel: 'silent',
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const url = await service.listen(0);
  return { service, url, store, protector };
}
