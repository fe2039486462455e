import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { correlationIdFrom } from '@haidang/request-context';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import { pinoHttp } from 'pino-http';
import type { NextFunction, PlatformRequest } from '../http-types';
import { routePattern } from '../http-types';
import { safeErrorLog } from '../problem/send-problem';

/** Field names that hold a person's data (invariant 6), in the spellings our DTOs and events use. */
const PERSONAL_FIELD_NAMES = [
  'name',
  'fullName',
  'full_name',
  'firstName',
  'lastName',
  'otherNames',
  'aliases',
  'idNumber',
  'id_number',
  'personalId',
  'personal_id',
  'personalIdNumber',
  'citizenId',
  'nationalId',
  'passportNumber',
  'dateOfBirth',
  'date_of_birth',
  'birthDate',
  'dob',
  'address',
  'residence',
  'phone',
  'phoneNumber',
  'phone_number',
  'email',
  'photo',
  'photos',
] as const;

/** pino wildcards match one level each: cover a field at the top and up to five levels down. */
const MAX_DEPTH = 5;

/** Redaction paths (pino syntax) for every personal field name at any depth up to MAX_DEPTH. */
export const PERSONAL_FIELD_PATHS: readonly string[] = PERSONAL_FIELD_NAMES.flatMap((field) =>
  Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => `${'*.'.repeat(depth)}${field}`),
);

/**
 * What an HTTP log line must never hold. The request serializer below already logs only method and
 * route; these paths are the second line of defence when someone logs a request object by hand.
 */
export const HTTP_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'req.body',
  'req.query',
  'req.url',
  'req.params',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body',
  'query',
];

export const REDACTED = '[redacted]';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `LOG_LEVEL` (default `info`); a level pino does not know stops the service at boot. */
export function logLevelFrom(value: string | undefined): LevelWithSilent {
  if (value === undefined || value === '') return 'info';
  if (!(LEVELS as readonly string[]).includes(value)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  return value as LevelWithSilent;
}

/** Ops endpoints are scraped every few seconds: logging each call would drown the rest. */
function isOpsPath(url: string | undefined): boolean {
  return !!url && /^\/(health|metrics)(\/|\?|$)/.test(url);
}

export interface LoggingOptions {
  readonly service: string;
  readonly level: LevelWithSilent;
  /** Where JSON lines go; stdout when absent. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
}

/** The options of a pino logger that redacts personal data, for HTTP and non-HTTP work alike. */
export function pinoOptions(service: string, level: LevelWithSilent): pino.LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: [...HTTP_REDACT_PATHS, ...PERSONAL_FIELD_PATHS], censor: REDACTED },
    serializers: { err: safeErrorLog },
  };
}

/**
 * One logger per service app (issue 10 §11): every line names the service it comes from. nestjs-pino
 * keeps one pino-http instance and one root logger per process, so under `npm start`, where every
 * service runs in one process, every line of referrals said `"service":"cases"` (the first app's).
 * Here each app has its own pino logger, its own access-log middleware and its own Nest logger.
 */
export interface ServiceLogging {
  /** The service's pino logger (`service` bound). */
  readonly logger: pino.Logger;
  /** Express middleware: one access line per request (method, route pattern, status, time). */
  readonly accessLog: (request: IncomingMessage, response: ServerResponse, next: NextFunction) => void;
  /**
   * Express middleware, after the body parser: runs the rest of the request with its request logger
   * current, so that what Nest logs while handling it carries the service and the correlation id.
   */
  readonly bindRequestLogger: (request: IncomingMessage, response: ServerResponse, next: NextFunction) => void;
  /** For `app.useLogger`. */
  readonly nestLogger: LoggerService;
}

/** The request logger of the request being handled, whichever service handles it. */
const requestLoggers = new AsyncLocalStorage<pino.Logger>();

export function createServiceLogging(options: LoggingOptions): ServiceLogging {
  const base = pinoOptions(options.service, options.level);
  const logger = options.destination ? pino(base, options.destination) : pino(base);
  const accessLog = pinoHttp({
    logger,
    genReqId: (request) => (request as unknown as PlatformRequest).correlationId ?? correlationIdFrom(request.headers['x-correlation-id']),
    customAttributeKeys: { reqId: 'correlationId' },
    // Method and route pattern only: the URL carries ids and search terms (`?q=<a name>`), the
    // headers a bearer token, the body a person.
    serializers: {
      req: (request: { method?: string }) => ({ method: request.method }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      // The exception filter already logged the stack of an unexpected error; the access line only
      // names it (pino-http hands this serializer the std-serialized error, the original is `raw`).
      err: (error: { raw?: unknown }) => ({ errorName: error.raw instanceof Error ? error.raw.name : 'Error' }),
    },
    // The request is serialized when the request starts, before a route matched; custom props are
    // computed again when the response is logged, when Express knows the route pattern.
    customProps: (request, response) => (response.headersSent ? { route: routePattern(request as unknown as PlatformRequest) } : {}),
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (request) => isOpsPath(request.url) },
    quietReqLogger: true,
  });
  return {
    logger,
    accessLog: (request, response, next) => accessLog(request, response, () => next()),
    bindRequestLogger: (request, _response, next) => {
      const requestLogger = (request as IncomingMessage & { log?: pino.Logger }).log ?? logger;
      requestLoggers.run(requestLogger, () => next());
    },
    nestLogger: new ServiceNestLogger(logger),
  };
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over a service's pino logger; within a request, over the request's logger.
 * Nest keeps one logger per process for `new Logger(context)`, the last app's: outside a request,
 * with several services in one process (`npm start`), such lines (rare: start-up is logged before
 * the next service starts) carry the last service's name. The services' background work (relay,
 * projections, process managers) logs through loggers of its own, named per service.
 */
class ServiceNestLogger implements LoggerService {
  constructor(private readonly base: pino.Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls `(message, ...params, context)`; its exception handlers `(message, stack, context)`. */
  private write(level: Level, message: unknown, params: readonly unknown[]): void {
    const logger = requestLoggers.getStore() ?? this.base;
    // Below the level a line costs nothing: no fields built, no arguments copied.
    if (!logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = [...params];
    if (rest.length > 0 && typeof rest.at(-1) === 'string') fields['context'] = rest.pop();
    if (message instanceof Error) {
      fields['err'] = message;
      logger[level](fields, ...(rest as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      logger[level](fields, ...(rest as [string?]));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      fields['err'] = Object.assign(new Error(String(message)), { stack: rest[0] });
      logger[level](fields);
    } else {
      rest = rest.filter((param) => typeof param !== 'undefined');
      logger[level](fields, String(message), ...(rest as [string?]));
    }
  }
}
