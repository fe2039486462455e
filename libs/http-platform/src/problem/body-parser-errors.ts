import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';
import { sendProblem } from './send-problem';
import { internalErrorProblem, problem, type ProblemDetails } from './problem-details';

/**
 * The answer to an error the JSON body parser raised. Its messages are not echoed: a parse error
 * quotes the body, which may hold a person's name.
 */
export function problemFromBodyParserError(error: unknown, bodyLimit: string): ProblemDetails {
  const { type, status } = (typeof error === 'object' && error !== null ? error : {}) as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.too.large':
      return problem({ status: 413, code: 'body-too-large', detail: `The request body exceeds ${bodyLimit}.` });
    case 'entity.parse.failed':
      return problem({ status: 400, code: 'malformed-json', title: 'The body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem({ status: 415, code: 'unsupported-encoding', detail: 'Send the body as UTF-8 JSON.' });
    default:
      return typeof status === 'number' && status >= 400 && status <= 499 ? problem({ status }) : internalErrorProblem();
  }
}

/** Express error middleware placed right after the body parser (Nest's filters never see these errors). */
export function bodyParserErrorHandler(bodyLimit: string, onUnexpected: (error: unknown) => void) {
  return (error: unknown, request: PlatformRequest, response: PlatformResponse, next: NextFunction): void => {
    if (response.headersSent) return next(error);
    const body = problemFromBodyParserError(error, bodyLimit);
    if (body.status >= 500) onUnexpected(error);
    sendProblem(response, body, request.correlationId);
  };
}
