import { ANY, comparePositions, jsonEvent, StreamNotFoundError, type EventStore, type Position, type RecordedEvent } from '@haidang/event-store';
import { currentContext, metadataFromContext, parseAgencyCode } from '@haidang/request-context';
import { randomUUID } from 'node:crypto';
import { InvalidAuditInputError, NoActiveBreakGlassError, NotAttributableError } from './errors';
import { checkSubjectId } from './validation';

export const BREAK_GLASS_OPENED = 'BreakGlassOpened';
/** The owning agency's copy of a grant, in its notices stream: what its list reads. */
export const BREAK_GLASS_NOTIFIED = 'BreakGlassNotified';
/** A reason shorter than this is not a reason ("urgent", "check"). */
export const BREAK_GLASS_MIN_REASON_LENGTH = 20;
export const BREAK_GLASS_MAX_REASON_LENGTH = 1000;
/** The longest a grant may last: one shift's emergency, not standing access. */
export const BREAK_GLASS_MAX_MINUTES = 240;

export interface BreakGlassRequest {
  readonly subjectId: string;
  /** The agency that owns the record (who will see the grant), e.g. `22-COMMUNE-06793`. */
  readonly owningAgency: string;
  /** Why the normal scope is not enough; shown to the owning agency. Should not name the person. */
  readonly reason: string;
  readonly durationMinutes: number;
}

/** `BreakGlassOpened` v1, in stream `BreakGlass-<subjectId>`. */
export interface BreakGlassOpenedV1 {
  readonly grantId: string;
  readonly subjectId: string;
  readonly principalSub: string;
  readonly principalAgency: string;
  readonly owningAgency: string;
  readonly reason: string;
  readonly openedAt: string;
  readonly expiresAt: string;
  readonly [key: string]: unknown;
}

export interface BreakGlassGrant {
  readonly grantId: string;
  readonly subjectId: string;
  readonly principalSub: string;
  readonly principalAgency: string;
  readonly owningAgency: string;
  readonly reason: string;
  readonly openedAt: Date;
  readonly expiresAt: Date;
  readonly correlationId: string | undefined;
}

/** Every grant on records the agency owns, in the order they were opened. */
export function breakGlassNoticesStream(agencyCode: string): string {
  return `BreakGlassNotices-${agencyCode}`;
}

export function breakGlassStream(subjectId: string): string {
  checkSubjectId(subjectId);
  return `BreakGlass-${subjectId}`;
}

/**
 * Opens a time-limited grant for the principal in the request context to see one subject's record
 * outside their normal scope. Whether they may ask at all (role, agency) is the service's policy;
 * this records the grant, with its reason, where the owning agency can see it.
 */
export async function grantBreakGlass(store: EventStore, request: BreakGlassRequest, now: Date = new Date()): Promise<BreakGlassGrant> {
  const stream = breakGlassStream(request.subjectId);
  const reason = typeof request.reason === 'string' ? request.reason.trim() : '';
  if (reason.length < BREAK_GLASS_MIN_REASON_LENGTH || reason.length > BREAK_GLASS_MAX_REASON_LENGTH) {
    throw new InvalidAuditInputError(`reason must be ${BREAK_GLASS_MIN_REASON_LENGTH}–${BREAK_GLASS_MAX_REASON_LENGTH} characters`);
  }
  if (!Number.isInteger(request.durationMinutes) || request.durationMinutes < 1 || request.durationMinutes > BREAK_GLASS_MAX_MINUTES) {
    throw new InvalidAuditInputError(`durationMinutes must be a whole number from 1 to ${BREAK_GLASS_MAX_MINUTES}`);
  }
  if (!parseAgencyCode(request.owningAgency)) throw new InvalidAuditInputError('owningAgency is not an agency code');
  const principal = currentContext()?.principal;
  if (!principal) throw new NotAttributableError('Break-glass');
  const data: BreakGlassOpenedV1 = {
    grantId: randomUUID(),
    subjectId: request.subjectId,
    principalSub: principal.sub,
    principalAgency: principal.agency.code,
    owningAgency: request.owningAgency,
    reason,
    openedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + request.durationMinutes * 60_000).toISOString(),
  };
  const metadata = metadataFromContext();
  // The owner's notice first: should the grant itself then fail, the owner sees a grant that never
  // opened, never the reverse (access the owner cannot see).
  await store.appendToStream(
    breakGlassNoticesStream(request.owningAgency),
    jsonEvent({ type: BREAK_GLASS_NOTIFIED, schemaVersion: 1, data, metadata: { ...metadata } }),
    {
      expectedRevision: ANY,
    },
  );
  await store.appendToStream(stream, jsonEvent({ type: BREAK_GLASS_OPENED, schemaVersion: 1, data, metadata: { ...metadata } }), { expectedRevision: ANY });
  return toGrant(data, metadata.correlationId);
}

/**
 * The principal's grant for the subject that is open at `now`, if any; expired grants (and grants
 * dated after `now`) count for nothing. Read from the subject's own stream, so it sees a grant the
 * moment it was appended, on any replica.
 */
export async function activeBreakGlass(
  store: EventStore,
  principalSub: string,
  subjectId: string,
  now: Date = new Date(),
): Promise<BreakGlassGrant | undefined> {
  let active: BreakGlassGrant | undefined;
  for (const grant of await grantsOf(store, subjectId)) {
    if (grant.principalSub !== principalSub) continue;
    if (grant.openedAt.getTime() > now.getTime() || grant.expiresAt.getTime() <= now.getTime()) continue;
    // Of overlapping grants, the one lasting longest wins.
    if (!active || grant.expiresAt > active.expiresAt) active = grant;
  }
  return active;
}

/** `activeBreakGlass`, or `NoActiveBreakGlassError` (HTTP 403) when there is none. */
export async function requireBreakGlass(store: EventStore, principalSub: string, subjectId: string, now: Date = new Date()): Promise<BreakGlassGrant> {
  const grant = await activeBreakGlass(store, principalSub, subjectId, now);
  if (!grant) throw new NoActiveBreakGlassError(subjectId);
  return grant;
}

export interface ListBreakGlassOptions {
  /** Only grants appended after this position (exclusive): for paging or incremental polling. */
  readonly fromPosition?: Position;
  /** Only grants still open at this time. */
  readonly activeAt?: Date;
}

/**
 * Every break-glass grant on records the agency owns, oldest first, from the agency's notices
 * stream: read at once after the grant (no wait for the global log's watermark) and without a scan.
 */
export async function listBreakGlassForAgency(store: EventStore, agencyCode: string, options: ListBreakGlassOptions = {}): Promise<BreakGlassGrant[]> {
  if (!parseAgencyCode(agencyCode)) throw new InvalidAuditInputError('Not an agency code');
  const grants: BreakGlassGrant[] = [];
  const notices: RecordedEvent[] = [];
  try {
    for await (const event of store.readStream(breakGlassNoticesStream(agencyCode))) notices.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  for (const event of notices) {
    if (event.type !== BREAK_GLASS_NOTIFIED) continue;
    if (options.fromPosition && comparePositions(event.position, options.fromPosition) <= 0) continue;
    const grant = fromEvent(event);
    if (grant.owningAgency !== agencyCode) continue;
    if (options.activeAt && !(grant.openedAt <= options.activeAt && options.activeAt < grant.expiresAt)) continue;
    grants.push(grant);
  }
  return grants;
}

async function grantsOf(store: EventStore, subjectId: string): Promise<BreakGlassGrant[]> {
  const grants: BreakGlassGrant[] = [];
  try {
    for await (const event of store.readStream(breakGlassStream(subjectId))) {
      if (event.type === BREAK_GLASS_OPENED) grants.push(fromEvent(event));
    }
  } catch (error) {
    // KurrentDB reports a stream that was never written; PostgreSQL reads it as empty.
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return grants;
}

function fromEvent(event: RecordedEvent): BreakGlassGrant {
  const correlationId = event.metadata.correlationId;
  return toGrant(event.data as BreakGlassOpenedV1, typeof correlationId === 'string' ? correlationId : undefined);
}

function toGrant(data: BreakGlassOpenedV1, correlationId: string | undefined): BreakGlassGrant {
  return {
    grantId: data.grantId,
    subjectId: data.subjectId,
    principalSub: data.principalSub,
    principalAgency: data.principalAgency,
    owningAgency: data.owningAgency,
    reason: data.reason,
    openedAt: new Date(data.openedAt),
    expiresAt: new Date(data.expiresAt),
    correlationId,
  };
}
