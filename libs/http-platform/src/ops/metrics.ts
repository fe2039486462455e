import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';
import { routePattern, type NextFunction, type PlatformRequest, type PlatformResponse } from '../http-types';
import { PublicRoute } from '../public-route';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';

/**
 * Default process metrics and the request-duration histogram, on the given registry. Labelled by
 * route pattern, never by URL: ids would make one series per person (and name them).
 */
export function httpMetricsMiddleware(registry: Registry) {
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  const histogram =
    (registry.getSingleMetric(HTTP_DURATION_METRIC) as Histogram<'method' | 'route' | 'status_code'> | undefined) ??
    new Histogram({
      name: HTTP_DURATION_METRIC,
      help: 'HTTP request duration in seconds, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return (request: PlatformRequest, response: PlatformResponse, next: NextFunction): void => {
    const stop = histogram.startTimer();
    response.on('finish', () => stop({ method: request.method, route: routePattern(request), status_code: String(response.statusCode) }));
    next();
  };
}

@ApiExcludeController()
@PublicRoute()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  async metrics(@Res() response: PlatformResponse): Promise<void> {
    const body = await this.registry.metrics();
    response.setHeader('Content-Type', this.registry.contentType);
    response.status(200).send(body);
  }
}
