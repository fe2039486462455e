import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { contextFrom, CORRELATION_ID_ATTRIBUTE, startSpan, withContext } from '@haidang/telemetry';

interface HeaderReader {
  get?(name: string): string;
}

/**
 * A server span for each request/reply message a service answers, joining the caller's trace
 * (`traceparent` in the NATS headers, put there by the calling ServiceClient). HTTP requests have
 * their span from the tracing middleware; this covers the other transport.
 */
@Injectable()
export class RpcTracingInterceptor implements NestInterceptor {
  constructor(private readonly service: string) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() !== 'rpc') return next.handle();
    const message = execution.switchToRpc().getContext<{ getHeaders?: () => unknown; getSubject?: () => string } | undefined>();
    const headers = (typeof message?.getHeaders === 'function' ? message.getHeaders() : undefined) as HeaderReader | undefined;
    const header = (name: string): string | undefined => (typeof headers?.get === 'function' ? headers.get(name) || undefined : undefined);
    const traceparent = header('traceparent');
    const { span, context } = startSpan(`RPC ${execution.getHandler().name}`, {
      kind: 'server',
      parent: contextFrom(traceparent === undefined ? undefined : { traceparent }),
      attributes: { 'haidang.service': this.service, [CORRELATION_ID_ATTRIBUTE]: header('X-Correlation-Id') ?? '' },
    });
    // Subscribed inside the span's context: the handler and everything it awaits run in it.
    return new Observable((subscriber) => {
      const subscription = withContext(context, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            span.setAttribute('haidang.rpc.failed', true);
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        }),
      );
      return () => subscription.unsubscribe();
    });
  }
}
