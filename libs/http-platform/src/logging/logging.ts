import { correlationIdFrom } from '@haidang/request-context';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import type { PlatformRequest } from '../http-types';
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

/** nestjs-pino parameters: one JSON line per request with method, route pattern, status and time. */
export function loggerModuleParams(options: LoggingOptions): Params {
  const base = pinoOptions(options.service, options.level);
  const logger = options.destination ? pino(base, options.destination) : pino(base);
  return {
    pinoHttp: {
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
    },
  };
}
