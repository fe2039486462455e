import type { ExecutionContext } from '@nestjs/common';
import { AUTHORIZATION_HEADER } from './tokens';
import type { RequestWithPrincipal } from './principal-holder';

/** The auth scheme is case-insensitive (RFC 7235 §2.1, RFC 9110 §11.1): `bearer`, `BEARER` too. */
const BEARER = /^Bearer +([A-Za-z0-9_\-.]+)$/i;

/** The raw `Authorization` value of an HTTP request or of a NATS message's headers. */
export function authorizationOf(context: ExecutionContext): string | undefined {
  if (context.getType() === 'http') {
    const value = context.switchToHttp().getRequest<RequestWithPrincipal>().headers['authorization'];
    return Array.isArray(value) ? value[0] : value;
  }
  if (context.getType() === 'rpc') {
    const ctx = context.switchToRpc().getContext<{ getHeaders?: () => unknown } | undefined>();
    const headers = typeof ctx?.getHeaders === 'function' ? (ctx.getHeaders() as { get?: (name: string) => string } | undefined) : undefined;
    const value = typeof headers?.get === 'function' ? headers.get(AUTHORIZATION_HEADER) : undefined;
    return value ? value : undefined;
  }
  return undefined;
}

/** `Bearer <jwt>` → the jwt; undefined when absent, 'malformed' when not a bearer token. */
export function bearerTokenFrom(value: string | undefined): string | undefined | 'malformed' {
  if (value === undefined || value === '') return undefined;
  const match = BEARER.exec(value.trim());
  return match ? (match[1] as string) : 'malformed';
}

/** The header value to forward on a service call: `{ [AUTHORIZATION_HEADER]: bearer(token) }`. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
