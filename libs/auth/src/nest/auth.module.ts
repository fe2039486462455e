import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from '../identity/jwt-verifier';
import type { Policy } from '../policy/policy';
import { AuthProblemFilter } from './auth-problem.filter';
import { AuthGuard, PolicyGuard } from './guards';
import { PrincipalContextInterceptor } from './principal-context.interceptor';
import { AUTH_CLOCK, AUTH_POLICY, JWT_VERIFIER } from './tokens';

export interface AuthModuleOptions {
  /** How to verify tokens (e.g. `authConfigFromEnv()`), or a ready verifier. */
  readonly verifier: JwtVerifierOptions | JwtVerifier;
  /** The service's one policy (`definePolicy`). */
  readonly policy: Policy;
  /**
   * The service's clock (the kit's `infrastructure.clock`): the request's day, on which a token of
   * a dissolved agency type is refused. Default: the system clock.
   */
  readonly clock?: () => Date;
}

/**
 * Authentication and deny-by-default authorization for every HTTP route and message handler of
 * the app: AuthGuard, then PolicyGuard (global guards run in the order they are provided), and the
 * interceptor that puts the principal into the request context, and the filter that renders
 * their refusals as problem+json (HTTP) or a RemoteErrorBody (NATS).
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const verifier = 'verify' in options.verifier ? options.verifier : createJwtVerifier(options.verifier);
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: JWT_VERIFIER, useValue: verifier },
        { provide: AUTH_POLICY, useValue: options.policy },
        { provide: AUTH_CLOCK, useValue: options.clock ?? (() => new Date()) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: PolicyGuard },
        { provide: APP_INTERCEPTOR, useClass: PrincipalContextInterceptor },
        { provide: APP_FILTER, useClass: AuthProblemFilter },
      ],
      exports: [JWT_VERIFIER, AUTH_POLICY],
    };
  }
}
