import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem, type ProblemDetails } from './problem-details';

/** What Node answers itself for these parser errors, now as problem+json (issue 10 §11). */
const STATUS_BY_CODE: Readonly<Record<string, { readonly status: number; readonly code: string; readonly detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers-too-large', detail: 'The request headers exceed the size this service accepts.' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: 'body-too-large', detail: 'The chunk extensions exceed the size this service accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request-timeout', detail: 'The request was not received in time.' },
};

const reasonOf = (status: number): string => STATUS_CODES[status] ?? 'Bad Request';

export function problemFromClientError(error: { readonly code?: string }): ProblemDetails {
  const known = error.code === undefined ? undefined : STATUS_BY_CODE[error.code];
  return known
    ? problem({ ...known, title: reasonOf(known.status) })
    : problem({ status: 400, code: 'malformed-request', detail: 'The request is not valid HTTP.' });
}

/**
 * The HTTP server's `clientError` listener. Node answers a request it could not parse (headers over
 * `--max-http-header-size`, broken framing) before Express exists for it, with an empty body; with a
 * listener, Node leaves the answer to us. It mirrors Node's own rules: nothing is written to a
 * socket that is gone or that already carries a response, and the connection is closed.
 */
export function answerClientError(error: Error & { readonly code?: string }, socket: Duplex & { readonly bytesWritten?: number }): void {
  if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const answer = problemFromClientError(error);
  const body = JSON.stringify(answer);
  socket.end(
    [
      `HTTP/1.1 ${answer.status} ${reasonOf(answer.status)}`,
      `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      'Pragma: no-cache',
      'X-Content-Type-Options: nosniff',
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
