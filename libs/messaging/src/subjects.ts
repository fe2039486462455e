/**
 * The subject grammar of integration events: `<prefix>.<service>.<Aggregate>.<EventType>`, the
 * prefix being `evt` in production (tests use their own, e.g. `t1a2b.evt`, to share a server).
 * Consumers filter on it (`evt.cases.>`, `evt.*.RehabCase.*`), so every token must be a plain
 * NATS token: a dot would shift the tokens, a `*`/`>` would turn a subject into a wildcard.
 */

export const DEFAULT_SUBJECT_PREFIX = 'evt';

/** A token of a published subject: no dots, wildcards, whitespace or control characters. */
const FORBIDDEN = /[\s.*>]/;

function isToken(token: string): boolean {
  if (token.length === 0 || FORBIDDEN.test(token)) return false;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

export class InvalidSubjectError extends Error {
  override readonly name = 'InvalidSubjectError';
}

export interface EventSubjectParts {
  readonly service: string;
  readonly aggregate: string;
  readonly eventType: string;
}

export interface SubjectOptions {
  /** One or more dot-separated tokens (default `evt`). */
  readonly prefix?: string;
}

export function isValidSubjectToken(token: string): boolean {
  return isToken(token);
}

function assertToken(what: string, token: string): void {
  if (!isToken(token)) throw new InvalidSubjectError(`Invalid ${what} for a subject token: ${JSON.stringify(token).slice(0, 80)}`);
}

function checkedPrefix(prefix: string | undefined): string {
  const value = prefix ?? DEFAULT_SUBJECT_PREFIX;
  for (const token of value.split('.')) assertToken('subject prefix', token);
  return value;
}

/** Streams are `<Aggregate>-<uuid>`: the aggregate is the name up to the first '-' (the whole name without one). */
export function aggregateOfStream(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

export function buildEventSubject(parts: EventSubjectParts, options: SubjectOptions = {}): string {
  const prefix = checkedPrefix(options.prefix);
  assertToken('service', parts.service);
  assertToken('aggregate', parts.aggregate);
  assertToken('event type', parts.eventType);
  return `${prefix}.${parts.service}.${parts.aggregate}.${parts.eventType}`;
}

/** The subject of a recorded event of `service`'s store. */
export function subjectForEvent(service: string, event: { readonly streamId: string; readonly type: string }, options: SubjectOptions = {}): string {
  return buildEventSubject({ service, aggregate: aggregateOfStream(event.streamId), eventType: event.type }, options);
}

export function parseEventSubject(subject: string, options: SubjectOptions = {}): EventSubjectParts {
  const prefix = checkedPrefix(options.prefix);
  if (!subject.startsWith(`${prefix}.`)) throw new InvalidSubjectError(`Subject ${subject} does not start with ${prefix}.`);
  const tokens = subject.slice(prefix.length + 1).split('.');
  if (tokens.length !== 3) throw new InvalidSubjectError(`Subject ${subject} is not ${prefix}.<service>.<Aggregate>.<EventType>`);
  const [service, aggregate, eventType] = tokens as [string, string, string];
  assertToken('service', service);
  assertToken('aggregate', aggregate);
  assertToken('event type', eventType);
  return { service, aggregate, eventType };
}

/** Every subject one service's relay publishes on: `<prefix>.<service>.>`. */
export function serviceSubjectFilter(service: string, options: SubjectOptions = {}): string {
  const prefix = checkedPrefix(options.prefix);
  assertToken('service', service);
  return `${prefix}.${service}.>`;
}

/**
 * NATS subject matching: `*` matches one token, a final `>` one or more. Used where the in-process
 * bus stands in for the server.
 */
export function subjectMatches(filter: string, subject: string): boolean {
  if (filter === subject) return true;
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return i === f.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}
