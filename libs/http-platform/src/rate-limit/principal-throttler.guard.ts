import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { PlatformRequest } from '../http-types';

/** `@nestjs/throttler`'s metadata key of a route's own limit (not exported by its index). */
const THROTTLER_LIMIT = 'THROTTLER:LIMIT';

/**
 * Counts requests per principal (`req.principal.sub`, set by `@haidang/auth`), else per client IP:
 * officers behind one agency NAT must not exhaust each other's budget. One budget across all the
 * service's routes: counted per route, 31 routes gave a principal 31 budgets (issue 10 §8).
 *
 * HTTP only. A service that mounts its NATS handlers with `inheritAppConfig` gets this guard on
 * them too, where there is neither a request IP nor a request principal: every calling service
 * would share one bucket and be refused together. Service-to-service calls are bounded by the
 * broker and the callers' own limits instead.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return super.canActivate(context);
  }

  /**
   * The key leaves the route out on purpose (the base class hashes class and handler names into it),
   * except for a route with a budget of its own (`@Throttle`, e.g. registration): that one keeps its
   * own count, else its smaller limit would be checked against everything the principal did elsewhere.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    const ownLimit = this.reflector.getAllAndOverride<unknown>(`${THROTTLER_LIMIT}${throttlerName}`, [context.getHandler(), context.getClass()]);
    if (ownLimit === undefined) return `${throttlerName}:${tracker}`;
    return `${throttlerName}:${context.getClass().name}.${context.getHandler().name}:${tracker}`;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as PlatformRequest;
    return principal?.sub ? `principal:${principal.sub}` : `ip:${ip ?? 'unknown'}`;
  }
}
