import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import { problem, ProblemHttpException } from '../problem/problem-details';
import { PublicRoute } from '../public-route';
import { DrainState } from './drain';
import { checkIndicator, type ReadinessIndicator } from './readiness';

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

/**
 * Kubernetes probes. Liveness says only that the process answers (a dead database must not get
 * pods restarted); readiness checks each dependency and answers 503 naming which is down, never why
 * (error texts name hosts and users).
 */
@ApiExcludeController()
@PublicRoute()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_INDICATORS) private readonly readiness: readonly ReadinessIndicator[],
    private readonly drain: DrainState,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<HealthCheckResult & { degraded?: string[] }> {
    // Told to stop: out of the load balancer first, while the requests already sent are still served.
    if (this.drain.isDraining)
      throw new ProblemHttpException(problem({ status: 503, code: 'shutting-down', title: 'Not ready', detail: 'The service is stopping.' }));
    const all = await Promise.all(
      this.readiness.map(async (indicator) => ({ key: indicator.key, up: await checkIndicator(indicator), required: indicator.required !== false })),
    );
    const statuses = all.filter((s) => s.required);
    // Dependencies the service can take commands without: named, never failing readiness.
    const optional = all.filter((s) => !s.required);
    const degraded = optional.filter((s) => !s.up).map((s) => s.key);
    const withOptional = (result: HealthCheckResult): HealthCheckResult & { degraded?: string[] } => ({
      ...result,
      details: { ...result.details, ...Object.fromEntries(optional.map(({ key, up }) => [key, { status: up ? 'up' : 'down' }])) },
      ...(degraded.length > 0 ? { degraded } : {}),
    });
    try {
      return withOptional(
        await this.health.check(
          statuses.map(
            ({ key, up }) =>
              () =>
                up ? this.indicators.check(key).up() : this.indicators.check(key).down(),
          ),
        ),
      );
    } catch {
      const checks = Object.fromEntries(all.map(({ key, up }) => [key, up ? 'up' : 'down']));
      throw new ProblemHttpException(problem({ status: 503, code: 'not-ready', title: 'Not ready', detail: 'A dependency is down.', checks }));
    }
  }
}
