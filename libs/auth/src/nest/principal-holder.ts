import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';

/**
 * Where a verified principal waits between the guard and the handler. HTTP: on the request
 * (`request.principal`). RPC: keyed by the transport's context object (the same NatsContext
 * reaches guards, interceptors and the handler), so nothing is written into the message itself.
 */
const rpcPrincipals = new WeakMap<object, Principal>();
const rpcTokens = new WeakMap<object, string>();
const tokenKey = Symbol('haidang:auth:bearer');

export interface RequestWithPrincipal {
  principal?: Principal;
  [tokenKey]?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Keeps the principal and its verified token (under a symbol, so it is not serialized with the request). */
export function setPrincipal(context: ExecutionContext, principal: Principal, token: string): void {
  if (context.getType() === 'http') {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    request.principal = principal;
    request[tokenKey] = token;
  } else if (context.getType() === 'rpc') {
    const key = context.switchToRpc().getContext<object>();
    rpcPrincipals.set(key, principal);
    rpcTokens.set(key, token);
  }
}

export function verifiedTokenOf(context: ExecutionContext): string | undefined {
  if (context.getType() === 'http') return context.switchToHttp().getRequest<RequestWithPrincipal>()[tokenKey];
  if (context.getType() === 'rpc') {
    const key = context.switchToRpc().getContext<unknown>();
    return typeof key === 'object' && key !== null ? rpcTokens.get(key) : undefined;
  }
  return undefined;
}

export function principalOf(context: ExecutionContext): Principal | undefined {
  if (context.getType() === 'http') return context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (context.getType() === 'rpc') {
    const key = context.switchToRpc().getContext<unknown>();
    return typeof key === 'object' && key !== null ? rpcPrincipals.get(key) : undefined;
  }
  return undefined;
}
