import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Principal } from './principal';

/**
 * What every piece of work knows about why it runs: set at the edge (HTTP request, NATS message)
 * and read wherever events are appended, so that event metadata is filled in one place
 * (invariant 7) and carried across services in NATS headers.
 */
export interface RequestContext {
  readonly correlationId: string;
  /** The message or event that caused this work, when it was caused by one. */
  readonly causationId?: string;
  /** The command being handled (an HTTP write or a NATS request). */
  readonly commandId?: string;
  readonly principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** A copy of the current context with more known (e.g. the principal once the token is verified). */
export function extendContext<T>(changes: Partial<RequestContext>, work: () => T): T {
  const current = storage.getStore() ?? { correlationId: randomUUID() };
  return storage.run({ ...current, ...changes }, work);
}

/** The metadata every appended event carries (invariant 7). A type, not an interface, so it fits the store's open metadata record. */
export type ContextMetadata = {
  readonly actor?: string;
  readonly agency?: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly commandId?: string;
};

export function metadataFromContext(context: RequestContext | undefined = currentContext()): ContextMetadata {
  const base = context ?? { correlationId: randomUUID() };
  return {
    correlationId: base.correlationId,
    ...(base.principal ? { actor: base.principal.sub, agency: base.principal.agency.code } : {}),
    ...(base.causationId ? { causationId: base.causationId } : {}),
    ...(base.commandId ? { commandId: base.commandId } : {}),
  };
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A correlation id from a client header when it is a safe token, else a new one (never log raw input). */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}
