import { InvalidSubjectError, isValidSubjectToken, type SubjectOptions } from '../subjects';

/**
 * Integration events (public, versioned, no personal data) travel on
 * `<prefix>.<service>.<EventName>.v<N>`, the prefix being `int` in production. They live in the
 * same JetStream stream as the domain events (`evt.…`), so one stream, one dedup window and one
 * retention policy cover both. Tests replace the `evt` of their own prefix (`t1a2b.evt`) by `int`
 * (`t1a2b.int`), so concurrent runs sharing a server never see each other's messages.
 */
export const DEFAULT_INTEGRATION_PREFIX = 'int';

const VERSIONED_TYPE = /^v([1-9]\d{0,8})$/;

function assertToken(what: string, token: string): void {
  if (!isValidSubjectToken(token)) throw new InvalidSubjectError(`Invalid ${what} for a subject token: ${JSON.stringify(token).slice(0, 80)}`);
}

function checkedPrefix(prefix: string | undefined): string {
  const value = prefix ?? DEFAULT_INTEGRATION_PREFIX;
  for (const token of value.split('.')) assertToken('subject prefix', token);
  return value;
}

function assertVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > 999_999_999)
    throw new InvalidSubjectError(`Invalid integration event version: ${String(version)}`);
}

/** `int.cases.RehabCompleted.v1` for `('cases', 'RehabCompleted', 1)`. */
export function integrationSubject(service: string, eventName: string, version: number, options: SubjectOptions = {}): string {
  const prefix = checkedPrefix(options.prefix);
  assertToken('service', service);
  assertToken('event name', eventName);
  assertVersion(version);
  return `${prefix}.${service}.${eventName}.v${version}`;
}

/** The contract type of an integration event, as libs/contracts names them: `cases.RehabCompleted.v1`. */
export function integrationEventType(service: string, eventName: string, version: number): string {
  assertToken('service', service);
  assertToken('event name', eventName);
  assertVersion(version);
  return `${service}.${eventName}.v${version}`;
}

export interface IntegrationEventName {
  readonly service: string;
  readonly eventName: string;
  readonly version: number;
}

/** Reads a contract type (`cases.RehabCompleted.v1`) back into its parts. */
export function parseIntegrationEventType(type: string): IntegrationEventName {
  const tokens = type.split('.');
  const [service, eventName, versionToken] = tokens;
  const match = versionToken === undefined ? null : VERSIONED_TYPE.exec(versionToken);
  if (tokens.length !== 3 || service === undefined || eventName === undefined || !match) {
    throw new InvalidSubjectError(`Integration event type ${JSON.stringify(type).slice(0, 80)} is not <service>.<EventName>.v<N>`);
  }
  assertToken('service', service);
  assertToken('event name', eventName);
  return { service, eventName, version: Number(match[1]) };
}

/** Every integration subject of one service: `<prefix>.<service>.>`. */
export function integrationSubjectFilter(service: string, options: SubjectOptions = {}): string {
  const prefix = checkedPrefix(options.prefix);
  assertToken('service', service);
  return `${prefix}.${service}.>`;
}

/**
 * The integration prefix that goes with a domain-event prefix: its last token `evt` becomes `int`
 * (`evt` → `int`, `t1a2b.evt` → `t1a2b.int`). Undefined when the prefix does not end in `evt`: there
 * is then no convention to follow, and the caller names the integration prefix itself.
 */
export function integrationPrefixFor(eventPrefix: string): string | undefined {
  if (eventPrefix === 'evt') return DEFAULT_INTEGRATION_PREFIX;
  if (!eventPrefix.endsWith('.evt')) return undefined;
  const prefix = `${eventPrefix.slice(0, -'evt'.length)}${DEFAULT_INTEGRATION_PREFIX}`;
  checkedPrefix(prefix);
  return prefix;
}

/**
 * The integration subject spaces that go with a stream's domain-event subjects: `evt.>` → `int.>`,
 * `t1a2b.evt.>` → `t1a2b.int.>`; other subjects add nothing.
 */
export function integrationSubjectsFor(eventSubjects: readonly string[]): string[] {
  const derived: string[] = [];
  for (const subject of eventSubjects) {
    if (!subject.endsWith('.>')) continue;
    const prefix = integrationPrefixFor(subject.slice(0, -2));
    if (prefix !== undefined) derived.push(`${prefix}.>`);
  }
  return derived;
}
