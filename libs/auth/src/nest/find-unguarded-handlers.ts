import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import type { Policy } from '../policy/policy';
import { AUTHORIZE_ACTION, IS_PUBLIC } from './decorators';
import { AUTH_POLICY, JWT_VERIFIER } from './tokens';

export interface FindUnguardedOptions {
  /** The policy to check actions against; default the one given to AuthModule.forRoot. */
  readonly policy?: Policy;
  /** HTTP paths that may be `@Public()`: health, metrics, API docs, and a dashboard page with its script files (no data: it calls the API with the user's token). */
  readonly publicPaths?: RegExp;
  /** Message patterns that may be `@Public()`. */
  readonly publicPatterns?: RegExp;
}

export const DEFAULT_PUBLIC_PATHS = /^\/(health(\/.*)?|metrics|api\/docs(\/.*)?|api\/openapi\.json|dashboard(\/assets\/:[a-z]+)?)$/;
export const DEFAULT_PUBLIC_PATTERNS = /(^|\.)health(\.|$)/;

/**
 * Every HTTP route and message/event handler of the app that the policy does not govern: no
 * `@Authorize` and no `@Public`, an action the policy does not know, or `@Public` where only
 * health, metrics and docs may be. Empty means every handler is either public by design or tied
 * to a policy action. A test per app asserts it is empty.
 */
export function findUnguardedHandlers(app: INestApplicationContext, options: FindUnguardedOptions = {}): string[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const policy = options.policy ?? tryGet<Policy>(app, AUTH_POLICY);
  // The policy in force may be the service's own plus the platform's routes (integrity, break-glass)
  // that the service kit adds: an action it knows is governed, provided it extends the given policy.
  const installed = tryGet<Policy>(app, AUTH_POLICY);
  const extendsGiven = installed !== undefined && policy !== undefined && policy.actions.every((action) => installed.has(action));
  const knows = (action: string): boolean => policy !== undefined && (policy.has(action) || (extendsGiven && (installed as Policy).has(action)));
  const publicPaths = options.publicPaths ?? DEFAULT_PUBLIC_PATHS;
  const publicPatterns = options.publicPatterns ?? DEFAULT_PUBLIC_PATTERNS;
  const problems: string[] = [];

  if (!policy || !tryGet(app, JWT_VERIFIER)) {
    problems.push('app: AuthModule.forRoot(...) is not imported, so no handler is guarded');
  }

  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || typeof controller !== 'function') continue;
      for (const methodName of scanner.getAllMethodNames(controller.prototype as object)) {
        const handler = (controller.prototype as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
        const label = describeHandler(controller, handler, methodName);
        if (!label) continue;
        const isPublic = reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, controller]) === true;
        const action = reflector.getAllAndOverride<string | undefined>(AUTHORIZE_ACTION, [handler, controller]);
        if (isPublic) {
          const allowed = label.kind === 'http' ? label.paths.every((p) => publicPaths.test(p)) : label.patterns.every((p) => publicPatterns.test(p));
          if (!allowed) problems.push(`${label.text}: @Public() is only for health, metrics and docs`);
        } else if (action === undefined) {
          problems.push(`${label.text}: neither @Authorize nor @Public`);
        } else if (policy && !knows(action)) {
          problems.push(`${label.text}: @Authorize('${action}') is not in the policy`);
        }
      }
    }
  }
  return problems;
}

type HandlerLabel = { kind: 'http'; paths: string[]; text: string } | { kind: 'message' | 'event'; patterns: string[]; text: string };

function describeHandler(controller: Type, handler: (...args: unknown[]) => unknown, methodName: string): HandlerLabel | undefined {
  const where = `${controller.name}.${methodName}`;
  const routePath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
  if (routePath !== undefined) {
    const method = RequestMethod[(Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined) ?? RequestMethod.GET];
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined, '');
    const paths = prefixes.flatMap((prefix) => asArray(routePath, '').map((path) => joinPath(prefix, path)));
    return { kind: 'http', paths, text: `${method} ${paths.join(', ')} (${where})` };
  }
  const handlerType = Reflect.getMetadata(PATTERN_HANDLER_METADATA, handler) as number | undefined;
  if (handlerType !== undefined) {
    const patterns = ((Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined) ?? []).map((p) =>
      typeof p === 'string' ? p : JSON.stringify(p),
    );
    const kind = handlerType === 2 ? 'event' : 'message';
    return { kind, patterns, text: `${kind === 'event' ? 'EventPattern' : 'MessagePattern'} ${patterns.join(', ')} (${where})` };
  }
  return undefined;
}

function asArray(value: string | string[] | undefined, fallback: string): string[] {
  if (value === undefined) return [fallback];
  return Array.isArray(value) ? value : [value];
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return joined;
}

function tryGet<T>(app: INestApplicationContext, token: unknown): T | undefined {
  try {
    return app.get<T>(token as never, { strict: false });
  } catch {
    return undefined;
  }
}
