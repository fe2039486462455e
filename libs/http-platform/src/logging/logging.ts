import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { correlationIdFrom } from '@haidang/request-context';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import type { NextFunction, PlatformRequest } from '../http-types';
import { routePattern } from '../http-types';
import { safeErrorLog } from '../problem/send-problem';

/** Field names that hold a person's data (invariant 6), in the spellings our DTOs and events use. */
export const PERSONAL_FIELD_NAMES: readonly string[] = [
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
];

/**
 * Keys whose values never belong in a log line, at any depth: credentials (headers) and whole request
 * parts. The access line holds only method, route pattern, status and time; these are the second line
 * of defence when someone logs a request object by hand.
 */
export const SECRET_FIELD_NAMES: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization', 'body', 'query', 'params'];

export const REDACTED = '[redacted]';

/** How deep a logged object is searched for personal fields (pino's wildcard paths covered six levels). */
const MAX_DEPTH = 8;

const REDACTED_KEYS: ReadonlySet<string> = new Set([...PERSONAL_FIELD_NAMES, ...SECRET_FIELD_NAMES]);

/**
 * A logged object with every personal or secret field replaced by `[redacted]`, at any depth up to
 * MAX_DEPTH, and a request's `url` (ids, search terms) too. One walk over the keys the line holds:
 * pino's path redaction with a wildcard path per field and depth (~175 paths) cost ~14% of a
 * command's CPU, most of it on access lines of four keys. The caller's object is never changed: a
 * branch that holds something to redact is copied.
 */
export function redactForLog(value: Record<string, unknown>): Record<string, unknown> {
  const redacted = redactValue(value, 0, false);
  return typeof redacted === 'object' && redacted !== null ? (redacted as Record<string, unknown>) : value;
}

function redactValue(value: unknown, depth: number, underRequest: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Errors go through the `err` serializer (name, code and frames only); Dates and buffers hold no keys.
  if (value instanceof Error || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  // What JSON.stringify would write is what is searched (e.g. an object's own `toJSON`).
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') {
    const json: unknown = toJson.call(value);
    if (json === value) return redactKeys(value as Record<string, unknown>, depth, underRequest);
    return typeof json === 'object' && json !== null ? redactValue(json, depth, underRequest) : value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = redactValue(item, depth + 1, false);
      if (redacted !== item) (copy ??= value.slice())[i] = redacted;
    }
    return copy ?? value;
  }
  return redactKeys(value as Record<string, unknown>, depth, underRequest);
}

function redactKeys(value: Record<string, unknown>, depth: number, underRequest: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field = value[key];
    const redacted =
      REDACTED_KEYS.has(key) || (underRequest && key === 'url')
        ? field === undefined
          ? undefined
          : REDACTED
        : redactValue(field, depth + 1, key === 'req' || key === 'request');
    if (redacted !== field) (copy ??= { ...value })[key] = redacted;
  }
  return copy ?? value;
}

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
    formatters: { log: redactForLog },
    serializers: { err: safeErrorLog },
  };
}

/**
 * One logger per service app (issue 10 §11): every line names the service it comes from. Under
 * `npm start`, where every service runs in one process, each app has its own pino logger, its own
 * access-log middleware and its own Nest logger.
 */
export interface ServiceLogging {
  /** The service's pino logger (`service` bound). */
  readonly logger: pino.Logger;
  /** Express middleware: one access line per request (method, route pattern, status, time). */
  readonly accessLog: (request: IncomingMessage, response: ServerResponse, next: NextFunction) => void;
  /**
   * Express middleware, after the body parser: runs the rest of the request with its logger and
   * correlation id current, so that what Nest logs while handling it carries the service and the
   * correlation id.
   */
  readonly bindRequestLogger: (request: IncomingMessage, response: ServerResponse, next: NextFunction) => void;
  /** For `app.useLogger`. */
  readonly nestLogger: LoggerService;
}

interface RequestLogging {
  readonly logger: pino.Logger;
  readonly correlationId: string;
}

/** The logger and correlation id of the request being handled, whichever service handles it. */
const requestLoggers = new AsyncLocalStorage<RequestLogging>();

type AccessLevel = 'info' | 'warn' | 'error';

export function createServiceLogging(options: LoggingOptions): ServiceLogging {
  const base = pinoOptions(options.service, options.level);
  const logger = options.destination ? pino(base, options.destination) : pino(base);
  // The access line names an error, nothing more: the exception filter already logged its frames.
  const accessLogger = logger.child({}, { serializers: { err: (error: unknown) => ({ errorName: error instanceof Error ? error.name : 'Error' }) } });

  /**
   * The access line, written when the response is finished (or the connection closed before). No
   * child logger per request and nothing built when the line's level is off: a request costs two
   * listeners and a timestamp.
   */
  const accessLog = (request: IncomingMessage, response: ServerResponse, next: NextFunction): void => {
    if (isOpsPath(request.url) || !logger.isLevelEnabled('error')) return next();
    const started = Date.now();
    const complete = (error?: unknown): void => {
      response.removeListener('close', complete);
      response.removeListener('finish', complete);
      response.removeListener('error', complete);
      const status = response.statusCode;
      const failed = error instanceof Error || status >= 500;
      const level: AccessLevel = failed ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const platformRequest = request as unknown as PlatformRequest;
      // Method, route pattern and status only: the URL carries ids and search terms (`?q=<a name>`),
      // the headers a bearer token, the body a person.
      const line: Record<string, unknown> = {
        correlationId: platformRequest.correlationId ?? correlationIdFrom(request.headers['x-correlation-id']),
        ...(response.headersSent ? { route: routePattern(platformRequest) } : {}),
        req: { method: request.method },
        res: { statusCode: status },
        responseTime: Date.now() - started,
      };
      if (failed) {
        line['err'] = error instanceof Error ? error : new Error('failed with status code');
        accessLogger[level](line, 'request errored');
      } else {
        accessLogger[level](line, !request.readableAborted && response.writableEnded ? 'request completed' : 'request aborted');
      }
    };
    response.on('close', complete);
    response.on('finish', complete);
    response.on('error', complete);
    next();
  };

  return {
    logger,
    accessLog,
    bindRequestLogger: (request, _response, next) => {
      const platformRequest = request as unknown as PlatformRequest;
      const correlationId = platformRequest.correlationId ?? correlationIdFrom(request.headers['x-correlation-id']);
      requestLoggers.run({ logger, correlationId }, () => next());
    },
    nestLogger: new ServiceNestLogger(logger),
  };
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over a service's pino logger; within a request, over the request's service
 * logger with its correlation id. Nest keeps one logger per process for `new Logger(context)`, the
 * last app's: outside a request, with several services in one process (`npm start`), such lines
 * (rare: start-up is logged before the next service starts) carry the last service's name. The
 * services' background work (relay, projections, process managers) logs through loggers of its
 * own, named per service.
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
    const current = requestLoggers.getStore();
    const logger = current?.logger ?? this.base;
    // Below the level a line costs nothing: no fields built, no arguments copied.
    if (!logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = current ? { correlationId: current.correlationId } : {};
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
