import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { extendContext } from '@haidang/request-context';
import { Observable } from 'rxjs';
import { bearer } from './bearer';
import { principalOf, verifiedTokenOf } from './principal-holder';

/**
 * The verified bearer token of the work in progress, kept apart from the RequestContext so that
 * nothing that logs or serializes the context can leak it.
 */
const bearerStorage = new AsyncLocalStorage<string>();

/**
 * `Bearer <jwt>` of the request being handled, to forward in the `Authorization` header of a NATS
 * call made on the user's behalf (see AUTHORIZATION_HEADER). Undefined outside a guarded handler.
 */
export function currentAuthorization(): string | undefined {
  const token = bearerStorage.getStore();
  return token === undefined ? undefined : bearer(token);
}

/**
 * Runs the rest of the request inside `extendContext({ principal })`, so that event metadata
 * (actor, agency) is filled wherever events are appended. A guard cannot do it: it returns before
 * the handler runs. `next.handle()` is called and subscribed inside the context, because Nest binds
 * the handler's async context at that moment.
 */
@Injectable()
export class PrincipalContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context);
    const token = verifiedTokenOf(context);
    if (!principal || token === undefined) return next.handle();
    return new Observable<unknown>((subscriber) => bearerStorage.run(token, () => extendContext({ principal }, () => next.handle().subscribe(subscriber))));
  }
}
