import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res, type InjectionToken, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import {
  etagOf,
  idempotencyKeyFrom,
  problem,
  ProblemHttpException,
  validated,
  versionConflict,
  versionFromIfMatch,
  type HeaderSink,
} from '@haidang/http-platform';
import type { DomainError } from '@haidang/decider';
import type { Principal } from '@haidang/request-context';
import type { CommandFailure, CommandResult } from './command-pipeline';

/**
 * One table per service: how its domain errors read over HTTP. Domain errors carry a code and plain
 * words, never a status; the status is chosen here (422 unless the table says otherwise).
 */
export interface HttpErrorTable {
  /** The resource as named in messages: "No such rehab case.", "The referral changed since you read it." */
  readonly resource: string;
  /** A version shown in the message for an unreadable If-Match. */
  readonly exampleVersion: number;
  readonly statuses?: Readonly<Record<string, number>>;
  /** How a domain error's message becomes the problem's detail (default: as it is). */
  readonly detail?: (error: DomainError) => string;
}

export function httpErrorTable(table: HttpErrorTable): HttpErrorTable {
  return table;
}

/** A failed command as problem+json: 404, 409, or the table's status for a rule of the domain. */
export function problemOf(failure: CommandFailure, table: HttpErrorTable): ProblemHttpException {
  switch (failure.kind) {
    case 'not-found':
      return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: `No such ${table.resource}.` }));
    case 'version-conflict':
      return versionConflict(table.resource);
    case 'rejected': {
      const status = table.statuses?.[failure.error.code] ?? 422;
      return new ProblemHttpException(
        problem({ status, code: failure.error.code, detail: table.detail ? table.detail(failure.error) : failure.error.message }),
      );
    }
  }
}

/** What a change answers: the resource and its new version (also the `ETag`). */
export interface ChangeAnswer {
  readonly id: string;
  readonly version: number;
}

/** The result over HTTP: the new version as `ETag` (and `Location` for a new resource), or problem+json. */
export function answerHttp(result: CommandResult<unknown>, table: HttpErrorTable, res: HeaderSink, location?: (id: string) => string): ChangeAnswer {
  if (!result.ok) throw problemOf(result.failure, table);
  res.setHeader('ETag', etagOf(result.version));
  if (location !== undefined) res.setHeader('Location', location(result.id));
  return { id: result.id, version: result.version };
}

/** `If-Match` (required: 428 missing, 400 unreadable) and `Idempotency-Key` (optional, bounded) as the pipeline takes them. */
export function conditionsOf(
  ifMatch: string | undefined,
  rawKey: string | undefined,
  table: HttpErrorTable,
): { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined } {
  const version = versionFromIfMatch(ifMatch, { name: table.resource, exampleVersion: table.exampleVersion });
  return { expected: { version }, idempotencyKey: idempotencyKeyFrom(rawKey) };
}

export interface CommandRouteInput<TBody> {
  readonly id: string;
  readonly body: TBody;
  readonly principal: Principal;
  readonly expected: { readonly version: number };
  readonly idempotencyKey: string | undefined;
}

/**
 * A change to an existing resource as a declaration (Eventuous' `On<Command>()`): the path, the
 * policy action, the body and how the command follows from it. The route reads `If-Match` and
 * `Idempotency-Key`, runs the command through the pipeline, and answers `ETag` or problem+json.
 */
export interface CommandRoute<TService, TBody extends object> {
  /** Under the controller's path, e.g. `:id/start`. */
  readonly path: string;
  readonly action: string;
  readonly summary: string;
  /** A longer explanation under the summary in the OpenAPI document. */
  readonly description?: string;
  /** Overrides the controller's answer description for this route. */
  readonly responseDescription?: string;
  readonly body: Type<TBody>;
  run(service: TService, input: CommandRouteInput<TBody>): Promise<CommandResult<unknown>>;
}

export interface CommandRoutesOptions<TService> {
  /** The class name shown in stack traces and the route walker. */
  readonly name: string;
  readonly path: string;
  readonly tag: string;
  /** What the routes call: the service's command handlers, injected. */
  readonly service: InjectionToken;
  readonly errors: HttpErrorTable;
  /** The documented answer (`{ id, version }` with its example). */
  readonly response: Type<unknown>;
  readonly responseDescription?: string;
  readonly ifMatchDescription?: string;
  readonly idempotencyDescription?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route has its own body type
  readonly routes: readonly CommandRoute<TService, any>[];
}

const ROUTE_PARAMETERS = 6;

/**
 * A Nest controller made from command routes: the same decorators a hand-written controller carries
 * (path, 200, policy action, OpenAPI operation, headers, answer), so the route walker, the
 * authorization matrix and the OpenAPI document see no difference.
 */
export function commandRoutesController<TService>(options: CommandRoutesOptions<TService>): Type<unknown> {
  class CommandRoutesController {
    constructor(readonly service: TService) {}
  }
  Object.defineProperty(CommandRoutesController, 'name', { value: options.name });
  Inject(options.service)(CommandRoutesController, undefined, 0);
  Controller(options.path)(CommandRoutesController);
  ApiTags(options.tag)(CommandRoutesController);
  ApiBearerAuth()(CommandRoutesController);

  const prototype = CommandRoutesController.prototype as unknown as Record<string, unknown>;
  options.routes.forEach((route, index) => {
    const method = `${index}:${route.path}`;
    const handler = async function (
      this: CommandRoutesController,
      id: string,
      body: object,
      principal: Principal,
      ifMatch: string | undefined,
      rawKey: string | undefined,
      res: HeaderSink,
    ) {
      const conditions = conditionsOf(ifMatch, rawKey, options.errors);
      return answerHttp(await route.run(this.service, { id, body, principal, ...conditions }), options.errors, res);
    };
    Object.defineProperty(handler, 'length', { value: ROUTE_PARAMETERS });
    prototype[method] = handler;
    Reflect.defineMetadata('design:paramtypes', [String, route.body, Object, String, String, Object], prototype, method);
    Reflect.defineMetadata('design:returntype', Promise, prototype, method);
    Param('id', new ParseUUIDPipe())(prototype, method, 0);
    Body(validated(route.body))(prototype, method, 1);
    CurrentPrincipal()(prototype, method, 2);
    Headers('if-match')(prototype, method, 3);
    Headers('idempotency-key')(prototype, method, 4);
    Res({ passthrough: true })(prototype, method, 5);
    const descriptor = Object.getOwnPropertyDescriptor(prototype, method) as PropertyDescriptor;
    const decorators: MethodDecorator[] = [
      Post(route.path),
      HttpCode(200),
      Authorize(route.action),
      ApiOperation({ summary: route.summary, ...(route.description === undefined ? {} : { description: route.description }) }),
      ApiBody({ type: route.body }),
      ApiHeader({
        name: 'If-Match',
        required: true,
        description: options.ifMatchDescription ?? `The ETag of the ${options.errors.resource} read: 428 when missing, 409 when stale`,
      }),
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: options.idempotencyDescription ?? 'A retry with the same key (and the same If-Match) appends nothing',
      }),
      ApiOkResponse({
        type: options.response,
        description: route.responseDescription ?? options.responseDescription ?? '`ETag` is the new version; a broken rule is 422 with the rule in plain words',
      }),
    ];
    for (const decorate of decorators.reverse()) decorate(prototype, method, descriptor);
    Object.defineProperty(prototype, method, descriptor);
  });
  return CommandRoutesController;
}
