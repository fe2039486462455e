import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { Pool } from 'pg';
import { BREAK_GLASS_POLICY_RULES, BreakGlassModule } from '@haidang/audit';
import { AUTH_POLICY, definePolicy, type Policy, type PolicyRules } from '@haidang/auth';
import type { EventStore } from '@haidang/event-store';
import {
  CheckpointChannel,
  checkpointIntervalMsFromEnv,
  INTEGRITY_POLICY_RULES,
  IntegrityCheckpointer,
  IntegrityModule,
  IntegrityService,
  integritySigningKeyFromEnv,
  type SecurityLog,
} from '@haidang/integrity';

/** The actions of the routes every service gets from the platform; a service's own rule of the same name wins. */
export const PLATFORM_POLICY_RULES: PolicyRules = { ...INTEGRITY_POLICY_RULES, ...BREAK_GLASS_POLICY_RULES };

export interface PlatformRoutes {
  readonly integrity: IntegrityService;
  readonly checkpointer: IntegrityCheckpointer;
  readonly channel: CheckpointChannel | undefined;
  /** The service's module with the platform routes beside it and their actions in its policy. */
  wrap(serviceModule: DynamicModule): DynamicModule;
}

@Module({})
class PlatformRoutesModule {}

// Said once per process: `npm start` runs every service in one.
let developmentKeyAnnounced = false;

/**
 * What every service gets beside its own routes (issue 10 §3, §12): `GET /api/v1/integrity` and
 * on-demand checkpoints over its log, signed with `INTEGRITY_SIGNING_KEY` (the development key
 * outside production, said once at start), the periodic checkpointer, and the break-glass routes.
 */
export function platformRoutes(options: {
  readonly service: string;
  readonly pool: Pool;
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly registry: Registry;
  readonly log: SecurityLog;
  readonly natsUrl: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): PlatformRoutes {
  const env = options.env ?? process.env;
  const key = integritySigningKeyFromEnv(env);
  if (key.source === 'development' && !developmentKeyAnnounced) {
    developmentKeyAnnounced = true;
    options.log.warn(
      'integrity: INTEGRITY_SIGNING_KEY is not set; checkpoints are signed with the published development key and prove nothing outside development',
      {
        service: options.service,
        keyId: key.keyId,
      },
    );
  }
  const channel = options.natsUrl ? new CheckpointChannel({ servers: options.natsUrl }) : undefined;
  const integrity = new IntegrityService({
    service: options.service,
    pool: options.pool,
    key,
    clock: options.clock,
    log: options.log,
    registry: options.registry,
    ...(channel ? { channel } : {}),
  });
  const checkpointer = new IntegrityCheckpointer(integrity, checkpointIntervalMsFromEnv(env), options.log);
  const breakGlass = BreakGlassModule.forService({
    service: options.service,
    store: options.store,
    clock: options.clock,
    log: options.log,
    registry: options.registry,
  });
  return {
    integrity,
    checkpointer,
    channel,
    wrap: (serviceModule) => {
      withPlatformPolicy(serviceModule);
      return { module: PlatformRoutesModule, imports: [serviceModule, IntegrityModule.forService(integrity), breakGlass] };
    },
  };
}

/**
 * Puts the platform's actions into the policy the service gives `AuthModule.forRoot` (found in its
 * module tree), so that the one PolicyGuard governs the platform routes like the service's own.
 */
function withPlatformPolicy(module: DynamicModule, seen = new Set<DynamicModule>()): void {
  if (seen.has(module)) return;
  seen.add(module);
  if (module.providers) {
    module.providers = module.providers.map((provider: Provider) => {
      if (typeof provider === 'object' && provider !== null && 'provide' in provider && provider.provide === AUTH_POLICY && 'useValue' in provider) {
        const policy = provider.useValue as Policy;
        // The service's options (e.g. agencyCheckedOnRecordDate) come along: only the rules grow.
        return { provide: AUTH_POLICY, useValue: definePolicy({ ...PLATFORM_POLICY_RULES, ...policy.rules }, policy.options) };
      }
      return provider;
    });
  }
  for (const imported of module.imports ?? []) {
    if (typeof imported === 'object' && imported !== null && 'module' in imported) withPlatformPolicy(imported as DynamicModule, seen);
  }
}
