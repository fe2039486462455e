import { randomUUID } from 'node:crypto';
import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { withMessageContext, RpcReply, type MessageContext } from './message-context';
import { isRemoteErrorBody, RemoteServiceError, ServiceUnavailableError } from './rpc-errors';

export interface ServiceClientOptions {
  /** The remote service's name, for errors and logs. */
  readonly service: string;
  /** No answer within this long is a ServiceUnavailableError (default 5000 ms). */
  readonly timeoutMs?: number;
  /** The ambient context (e.g. from AsyncLocalStorage) when a call names none. */
  readonly context?: () => MessageContext | undefined;
}

export interface ServiceReply<T> {
  readonly data: T;
  /** The correlation id the reply carried back, when the handler used `correlatedReply`. */
  readonly correlationId: string | undefined;
}

// What Nest's clients report when nobody answers or the connection is gone (see ClientNats).
const NO_RESPONDERS = /^Empty response\. There are no subscribers/;
const NO_HANDLER = 'There is no matching message handler defined in the remote service.';

/**
 * Request/reply to another service over a Nest ClientProxy (NATS, or the in-process transport),
 * with the caller's context in the headers and typed failures: RemoteServiceError (the service
 * answered with an error: its 4xx, or 502) and ServiceUnavailableError (no answer: 503).
 */
export class ServiceClient {
  private readonly timeoutMs: number;

  constructor(
    private readonly proxy: ClientProxy,
    private readonly options: ServiceClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async request<TResult, TInput = unknown>(pattern: string, data: TInput, context?: MessageContext): Promise<TResult> {
    return (await this.requestWithReply<TResult, TInput>(pattern, data, context)).data;
  }

  async requestWithReply<TResult, TInput = unknown>(pattern: string, data: TInput, context?: MessageContext): Promise<ServiceReply<TResult>> {
    const ctx = context ?? this.options.context?.() ?? { correlationId: randomUUID() };
    let answer: unknown;
    try {
      answer = await firstValueFrom(this.proxy.send<unknown>(pattern, withMessageContext(data, ctx)).pipe(timeout({ first: this.timeoutMs })));
    } catch (error) {
      throw this.translate(pattern, error);
    }
    if (answer instanceof RpcReply) return { data: answer.data as TResult, correlationId: answer.correlationId };
    return { data: answer as TResult, correlationId: undefined };
  }

  private translate(pattern: string, error: unknown): Error {
    const service = this.options.service;
    if (error instanceof TimeoutError) return new ServiceUnavailableError(service, pattern, 'timeout', { cause: error });
    if (isRemoteErrorBody(error)) return new RemoteServiceError(service, pattern, error.status, error.code, error.message, error.details);
    if (error === NO_HANDLER) return new ServiceUnavailableError(service, pattern, 'no-handler');
    if (error instanceof Error && NO_RESPONDERS.test(error.message)) return new ServiceUnavailableError(service, pattern, 'no-responders', { cause: error });
    if (isNestErrorPacket(error)) {
      // Nest's default filter: a handler failed and no RemoteErrorFilter described it.
      return new RemoteServiceError(service, pattern, 500, 'remote-internal', `Service ${service} failed to handle ${pattern}`);
    }
    // Anything else is the transport failing (connection lost, client closed, …).
    return new ServiceUnavailableError(service, pattern, 'disconnected', { cause: error });
  }
}

function isNestErrorPacket(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'error';
}
