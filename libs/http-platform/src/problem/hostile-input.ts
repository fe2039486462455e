import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';
import { problem, validationProblem, type ProblemDetails } from './problem-details';
import { sendProblem } from './send-problem';

/**
 * No DTO of ours nests deeper than a handful of levels; class-transformer and class-validator
 * recurse, and a body 2,000 arrays deep (well inside the body limit) overflowed the stack: a 500
 * on every POST route (issue 10 §4). 32 leaves room for any honest document.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys that address an object's prototype. JSON.parse makes them own properties, so the unknown-field
 * check never saw them, while a merge or a class-transformer copy may follow them (issue 10 §7).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Client-chosen property names are echoed in `field`: keep them short. */
const MAX_FIELD_LENGTH = 120;

export type HostileShape = { readonly kind: 'too-deep' } | { readonly kind: 'forbidden-key'; readonly field: string };

/**
 * Finds the first thing in a parsed JSON value that must not reach validation: nesting deeper than
 * `maxDepth` containers, or a prototype key at any depth. Iterative, so that the check itself cannot
 * overflow the stack on the input it exists to refuse.
 */
export function findHostileShape(value: unknown, maxDepth: number = MAX_BODY_DEPTH): HostileShape | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const pending: { readonly node: object; readonly depth: number; readonly path: string }[] = [{ node: value, depth: 1, path: '' }];
  while (pending.length > 0) {
    const { node, depth, path } = pending.pop() as { node: object; depth: number; path: string };
    if (depth > maxDepth) return { kind: 'too-deep' };
    for (const key of Object.keys(node)) {
      const field = path ? `${path}.${key}` : key;
      if (!Array.isArray(node) && FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden-key', field: field.slice(0, MAX_FIELD_LENGTH) };
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push({ node: child, depth: depth + 1, path: field.slice(0, MAX_FIELD_LENGTH) });
    }
  }
  return undefined;
}

/** The 400 answer to a hostile shape, or undefined when the value is fine. `where` names the part (body, query). */
export function hostileShapeProblem(value: unknown, where: 'body' | 'query', maxDepth: number = MAX_BODY_DEPTH): ProblemDetails | undefined {
  const found = findHostileShape(value, maxDepth);
  if (!found) return undefined;
  if (found.kind === 'too-deep') {
    return problem({
      status: 400,
      code: 'nesting-too-deep',
      title: 'The request is nested too deeply',
      detail: `The ${where} nests objects or arrays more than ${maxDepth} levels deep.`,
    });
  }
  return validationProblem([{ field: found.field, message: `${found.field.split('.').pop() ?? found.field} is a reserved name and is not allowed` }]);
}

/**
 * Express middleware right after the JSON body parser: refuses a hostile body or query with 400
 * problem+json before any guard, pipe or handler sees it.
 */
export function hostileInputGuard(maxDepth: number = MAX_BODY_DEPTH) {
  return (request: PlatformRequest & { body?: unknown; query?: unknown }, response: PlatformResponse, next: NextFunction): void => {
    const found = hostileShapeProblem(request.body, 'body', maxDepth) ?? hostileShapeProblem(request.query, 'query', maxDepth);
    if (!found) return next();
    sendProblem(response, found, request.correlationId);
  };
}
