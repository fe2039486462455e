import { currentContext } from '@haidang/request-context';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { PlatformRequest, PlatformResponse } from '../http-types';
import { problemFromError, RETRY_AFTER_SECONDS } from './problem-from-error';
import { safeErrorLog, sendProblem } from './send-problem';

/** Every error of an HTTP route becomes `application/problem+json`; unexpected ones are logged without their message. */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<PlatformRequest>();
    const response = http.getResponse<PlatformResponse>();
    const { problem, unexpected } = problemFromError(exception);
    if (unexpected) this.logger.error(safeErrorLog(exception), 'Unexpected error');
    else if (problem.status === 503) this.logger.warn({ type: problem.type }, 'Answered 503: a dependency is not ready');
    if (response.headersSent) return;
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    sendProblem(response, problem, currentContext()?.correlationId ?? request.correlationId);
  }
}
