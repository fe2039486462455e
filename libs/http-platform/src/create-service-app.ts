import { Logger as NestLogger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { noStoreMiddleware } from './context/no-store.middleware';
import { correlationIdMiddleware, requestContextMiddleware } from './context/request-context.middleware';
import { createServiceLogging, logLevelFrom } from './logging/logging';
import { HealthController, READINESS_INDICATORS } from './ops/health.controller';
import { httpMetricsMiddleware, METRICS_REGISTRY, MetricsController } from './ops/metrics';
import { closeGracefully, DrainState, drainMiddleware } from './ops/drain';
import { tracingMiddleware } from './context/tracing.middleware';
import { RpcTracingInterceptor } from './context/rpc-tracing.interceptor';
import { checkIndicator, type ReadinessIndicator } from './ops/readiness';
import { bodyParserErrorHandler } from './problem/body-parser-errors';
import { answerClientError } from './problem/client-errors';
import { hostileInputGuard } from './problem/hostile-input';
import { ProblemExceptionFilter } from './problem/problem-exception.filter';
import { safeErrorLog } from './problem/send-problem';
import { createValidationPipe } from './problem/validation';
import { AddressBudget, addressBudgetMiddleware } from './rate-limit/address-budget';
import { PrincipalThrottlerGuard } from './rate-limit/principal-throttler.guard';
import { rateLimitFromEnv, type RateLimitOptions } from './rate-limit/rate-limit-config';

/** DESIGN, public surface: each service's default port (`PORT` overrides). */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<string, number>> = {
  cases: 3001,
  referrals: 3002,
  employment: 3003,
  campaigns: 3004,
  'cross-border': 3005,
  projections: 3006,
};

export interface ServiceAppOptions {
  /** The service's name: in logs, the OpenAPI title and the default port. */
  readonly service: string;
  /** Default: `PORT`, else the service's port in DEFAULT_SERVICE_PORTS, else 3000. */
  readonly port?: number;
  /** JSON body limit (bytes syntax of body-parser). Larger → 413. */
  readonly bodyLimit?: string;
  /** Allowed browser origins. Default: `CORS_ORIGINS` (comma-separated); no CORS when neither is set. */
  readonly corsOrigins?: readonly string[];
  /** Default: from `RATE_LIMIT_PER_PRINCIPAL`, `RATE_LIMIT_PER_ADDRESS`, `RATE_LIMIT_WINDOW_SECONDS` (see rateLimitFromEnv). */
  readonly rateLimit?: RateLimitOptions;
  /** Dependencies `/health/ready` checks (postgresReadiness, transportReadiness). */
  readonly readiness?: readonly ReadinessIndicator[];
  /** The registry `/metrics` serves; pass the one other metrics (event store, relay) are on. */
  readonly metricsRegistry?: Registry;
  /** Default: `LOG_LEVEL`, else `info`. */
  readonly logLevel?: string;
  /** Where JSON logs go; stdout by default (tests read them from a stream). */
  readonly logDestination?: DestinationStream;
  /** Express `trust proxy` (e.g. 1 behind one ingress) so that per-IP limits see the client. */
  readonly trustProxy?: boolean | number | string;
  readonly openApi?: { readonly title?: string; readonly version?: string; readonly description?: string };
}

export interface ServiceApp {
  /** Configured and initialised; not listening yet. */
  readonly app: NestExpressApplication;
  readonly metricsRegistry: Registry;
  /** Listens on the port (default: the configured one; 0 for any) and resolves the base URL. */
  listen(port?: number): Promise<string>;
  /**
   * The first step of a graceful stop: readiness fails at once, requests keep being served for
   * `delayMs` (the time the load balancer takes to notice), then the server stops listening and
   * resolves when the requests in progress are answered (cut after `graceMs`).
   */
  drain(options: { readonly delayMs: number; readonly graceMs: number }): Promise<'drained' | 'cut'>;
}

@Module({})
class ServiceAppModule {}

/**
 * Provides the rate-limit guard (with its injected options and storage). It is installed with
 * `useGlobalGuards` after the app is created, which puts it after every APP_GUARD the service's
 * modules register (auth): it counts by the `req.principal` they set. Relying on module scan order
 * instead put it first in the cases service, where every principal behind one IP shared one budget.
 */
@Module({ providers: [PrincipalThrottlerGuard], exports: [PrincipalThrottlerGuard] })
class RateLimitGuardModule {}

/**
 * Builds a service's HTTP app with everything the platform promises (issue 3 §7, invariant 4):
 * security headers, body limit, problem+json errors, validation, request context, per-principal
 * rate limiting, redacting JSON logs, health, metrics and OpenAPI.
 */
export async function createServiceApp(rootModule: Type<unknown> | DynamicModule, options: ServiceAppOptions): Promise<ServiceApp> {
  const bodyLimit = options.bodyLimit ?? '256kb';
  const fromEnv = rateLimitFromEnv(process.env);
  const rateLimit = { ...fromEnv, ...options.rateLimit };
  const metricsRegistry = options.metricsRegistry ?? new Registry();
  const indicators = options.readiness ?? [];
  // Each dependency's state at scrape time: the "fully connected" view, beside readiness's "can take commands".
  if (indicators.length > 0 && metricsRegistry.getSingleMetric('haidang_dependency_up') === undefined) {
    new Gauge({
      name: 'haidang_dependency_up',
      help: '1 while a dependency answers (database, nats), 0 while it does not; readiness fails only for required ones',
      labelNames: ['dependency', 'required'],
      registers: [metricsRegistry],
      async collect() {
        for (const indicator of indicators)
          this.set({ dependency: indicator.key, required: String(indicator.required !== false) }, (await checkIndicator(indicator)) ? 1 : 0);
      },
    });
  }
  const level = logLevelFrom(options.logLevel ?? process.env['LOG_LEVEL']);
  const corsOrigins = options.corsOrigins ?? corsOriginsFrom(process.env['CORS_ORIGINS']);
  const drainState = new DrainState();

  const platformModule: DynamicModule = {
    module: ServiceAppModule,
    imports: [
      rootModule,
      ThrottlerModule.forRoot({ throttlers: [{ name: 'default', limit: rateLimit.limit, ttl: rateLimit.windowMs }] }),
      TerminusModule.forRoot({ errorLogStyle: 'json' }),
      RateLimitGuardModule,
    ],
    controllers: [HealthController, MetricsController],
    providers: [
      { provide: READINESS_INDICATORS, useValue: options.readiness ?? [] },
      { provide: METRICS_REGISTRY, useValue: metricsRegistry },
      { provide: DrainState, useValue: drainState },
    ],
  };

  const logging = createServiceLogging({ service: options.service, level, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const app = await NestFactory.create<NestExpressApplication>(platformModule, { bodyParser: false, bufferLogs: true, abortOnError: false });
  app.useLogger(logging.nestLogger);
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: [...corsOrigins], exposedHeaders: ['X-Correlation-Id', 'ETag', 'Location', 'Retry-After'], maxAge: 600 });
  }

  // Order matters: no-store and the correlation id first (every answer carries them), the access log,
  // security headers, the per-address budget, metrics, then the body parser, its error handler and
  // the hostile-shape check, then the request context and logger for everything after.
  app.use(noStoreMiddleware);
  app.use(drainMiddleware(drainState));
  app.use(correlationIdMiddleware);
  app.use(tracingMiddleware(options.service));
  app.use(logging.accessLog);
  app.use(helmet());
  app.use(addressBudgetMiddleware(new AddressBudget(rateLimit.perAddressLimit, rateLimit.windowMs)));
  app.use(httpMetricsMiddleware(metricsRegistry));
  app.useBodyParser('json', { limit: bodyLimit });
  const platformLogger = new NestLogger('HttpPlatform');
  app.use(bodyParserErrorHandler(bodyLimit, (error) => platformLogger.error(safeErrorLog(error), 'Unexpected body parser error')));
  app.use(hostileInputGuard());
  app.use(requestContextMiddleware);
  app.use(logging.bindRequestLogger);
  // Requests Node cannot parse (headers over its limit) are answered before Express: as problem+json too.
  app.getHttpServer().on('clientError', answerClientError);

  app.useGlobalGuards(app.get(PrincipalThrottlerGuard));
  app.useGlobalInterceptors(new RpcTracingInterceptor(options.service));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemExceptionFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.openApi?.title ?? `Hải Đăng ${options.service} API`)
      .setVersion(options.openApi?.version ?? '1')
      .setDescription(options.openApi?.description ?? `The ${options.service} service. Errors are RFC 9457 problem+json.`)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });

  await app.init();

  const configuredPort = options.port ?? portFrom(process.env['PORT']) ?? DEFAULT_SERVICE_PORTS[options.service] ?? 3000;
  return {
    app,
    metricsRegistry,
    async listen(port = configuredPort) {
      await app.listen(port, '0.0.0.0');
      const address = app.getHttpServer().address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://127.0.0.1:${actual}`;
    },
    async drain({ delayMs, graceMs }) {
      drainState.begin();
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return closeGracefully(app.getHttpServer(), graceMs);
    },
  };
}

export function corsOriginsFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

function portFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be an integer between 0 and 65535');
  return port;
}
