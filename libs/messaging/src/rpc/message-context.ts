import { traceHeaders } from '@haidang/telemetry';
import { randomUUID } from 'node:crypto';
import { NatsRecord, NatsRecordBuilder, type NatsContext } from '@nestjs/microservices';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { currentContext, metadataFromContext } from '@haidang/request-context';
import { isSafeHeaderValue } from '../event-codec';

/** Headers that carry who asked and on whose behalf across a service call (invariant 7). */
export const RpcHeaders = {
  CorrelationId: 'X-Correlation-Id',
  CausationId: 'X-Causation-Id',
  Actor: 'X-Actor',
  Agency: 'X-Agency',
  /** The caller's bearer token, forwarded so the receiving service verifies the same principal (@haidang/auth). */
  Authorization: 'Authorization',
} as const;

/** The part of a request's context that travels with a call to another service. */
export interface MessageContext {
  readonly correlationId: string;
  readonly causationId?: string;
  readonly actor?: string;
  readonly agency?: string;
  /** `Bearer <jwt>` of the user on whose behalf the call is made. Never logged. */
  readonly authorization?: string;
}

/**
 * The ambient request context (HTTP request or message being handled) as a call's context: pass
 * it as `ServiceClient`'s `context` option, with the caller's bearer token (auth's
 * `currentAuthorization()`), so correlation, causation and identity travel to the next service.
 */
export function messageContextFromRequest(authorization?: string): MessageContext {
  const context = currentContext();
  const metadata = metadataFromContext(context);
  return {
    correlationId: metadata.correlationId,
    // The call is caused by the command being handled, when there is one.
    ...(context?.commandId ? { causationId: context.commandId } : metadata.causationId ? { causationId: metadata.causationId } : {}),
    ...(metadata.actor ? { actor: metadata.actor } : {}),
    ...(metadata.agency ? { agency: metadata.agency } : {}),
    ...(authorization ? { authorization } : {}),
  };
}

export function contextHeaders(context: MessageContext): MsgHdrs {
  const h = natsHeaders();
  const put = (name: string, value: string | undefined): void => {
    if (isSafeHeaderValue(value)) h.set(name, value);
  };
  put(RpcHeaders.CorrelationId, context.correlationId);
  put(RpcHeaders.CausationId, context.causationId);
  put(RpcHeaders.Actor, context.actor);
  put(RpcHeaders.Agency, context.agency);
  // The caller's trace (W3C trace context): the called service's span joins it.
  for (const [name, value] of Object.entries(traceHeaders())) put(name, value);
  // A JWT can exceed the 256-character limit of the other headers; it is checked for line breaks only.
  if (context.authorization && !/[\r\n]/.test(context.authorization) && context.authorization.length <= 8192) {
    h.set(RpcHeaders.Authorization, context.authorization);
  }
  return h;
}

/** A request payload with the context in its NATS headers: pass it to `ClientProxy.send`. */
export function withMessageContext<T>(data: T, context: MessageContext): NatsRecord<T, MsgHdrs> {
  return new NatsRecordBuilder<T>(data).setHeaders(contextHeaders(context)).build() as NatsRecord<T, MsgHdrs>;
}

/**
 * The caller's context as a `@MessagePattern` handler sees it (`@Ctx() ctx: NatsContext`). A call
 * without a correlation id starts a new correlation rather than failing: the handler's events must
 * carry one.
 */
export function readMessageContext(ctx: NatsContext): MessageContext {
  const h = ctx.getHeaders() as MsgHdrs | undefined;
  const get = (name: string): string | undefined => {
    const value = h?.get(name);
    return value ? value : undefined;
  };
  const correlationId = get(RpcHeaders.CorrelationId) ?? randomUUID();
  const causationId = get(RpcHeaders.CausationId);
  const actor = get(RpcHeaders.Actor);
  const agency = get(RpcHeaders.Agency);
  return {
    correlationId,
    ...(causationId === undefined ? {} : { causationId }),
    ...(actor === undefined ? {} : { actor }),
    ...(agency === undefined ? {} : { agency }),
  };
}

/**
 * A handler's result with the correlation id in the reply's headers, so it travels back too.
 * Needs the serializer of `natsServerOptions` (or the in-process transport) on the server side.
 */
export function correlatedReply<T>(result: T, context: MessageContext | NatsContext): NatsRecord<T, MsgHdrs> {
  const correlationId = 'correlationId' in context ? context.correlationId : readMessageContext(context).correlationId;
  const h = natsHeaders();
  if (isSafeHeaderValue(correlationId)) h.set(RpcHeaders.CorrelationId, correlationId);
  return new NatsRecordBuilder<T>(result).setHeaders(h).build() as NatsRecord<T, MsgHdrs>;
}

/** A reply as the caller's deserializer hands it over when the reply carried headers; `ServiceClient` unwraps it. */
export class RpcReply<T = unknown> {
  constructor(
    readonly data: T,
    readonly correlationId: string | undefined,
  ) {}
}
