import type { PlatformResponse } from '../http-types';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

/** Writes a problem with its correlation id, so that a client can quote it to support. */
export function sendProblem(response: PlatformResponse, body: ProblemDetails, correlationId: string | undefined): void {
  const withId = correlationId && body.correlationId === undefined ? { ...body, correlationId } : body;
  response.status(body.status);
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Pragma', 'no-cache');
  response.send(JSON.stringify(withId));
}

/** What may be logged of an unexpected error: its name, code and stack frames, not its message (it may quote input). */
export function safeErrorLog(error: unknown): { errorName: string; errorCode?: string; stack?: string } {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return { errorName: error.name, ...(typeof code === 'string' ? { errorCode: code } : {}), ...(frames ? { stack: frames } : {}) };
}
