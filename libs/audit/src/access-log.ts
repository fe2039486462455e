import { ANY, jsonEvent, StreamNotFoundError, type EventStore, type Position } from '@haidang/event-store';
import { currentContext, metadataFromContext } from '@haidang/request-context';
import { InvalidAuditInputError, NotAttributableError } from './errors';
import { checkSubjectId } from './validation';

export const ACCESS_ACTIONS = ['read', 'export'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];
export const PERSONAL_DATA_ACCESSED = 'PersonalDataAccessed';

export interface AccessRequest {
  /** The person whose data was read (the person's stream id or another opaque id). */
  readonly subjectId: string;
  readonly action: AccessAction;
  /**
   * Why, as a code the service defines (`case-review`, `court-request`, `break-glass`): a code
   * rather than free text, so an access record can never carry a name or a diagnosis.
   */
  readonly purpose: string;
  /** Names of the personal fields shown, never their values. */
  readonly fields?: readonly string[];
  /** A break-glass grant that made the access possible, when one did. */
  readonly breakGlassGrantId?: string;
  /**
   * For an export of aggregates (no one person): the query parameters it was selected by, as codes
   * (province, period, indicator codes), never free text, and how many rows left the service.
   */
  readonly query?: Readonly<Record<string, string>>;
  readonly rowCount?: number;
}

/** `PersonalDataAccessed` v1: who (metadata), what (subject, action, fields), why (purpose), when. */
export interface PersonalDataAccessedV1 {
  readonly subjectId: string;
  readonly action: AccessAction;
  readonly purpose: string;
  readonly fields: readonly string[];
  readonly accessedAt: string;
  readonly breakGlassGrantId?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly rowCount?: number;
  readonly [key: string]: unknown;
}

export interface AccessRecord extends PersonalDataAccessedV1 {
  readonly eventId: string;
  readonly actor: string | undefined;
  readonly agency: string | undefined;
  readonly correlationId: string | undefined;
}

const PURPOSE = /^[a-z][a-z0-9-]{1,63}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;
// Query values are codes and dates (`22`, `2022-Q3`, `REHAB_ADMISSIONS,TRAINED`), never free text.
const QUERY_VALUE = /^[A-Za-z0-9_.:,-]{0,400}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function accessLogStream(subjectId: string): string {
  checkSubjectId(subjectId);
  return `AccessLog-${subjectId}`;
}

/**
 * Appends a `PersonalDataAccessed` event for one read or export of a person's data, attributed
 * from the request context (actor, agency, correlation id). Call it before returning the data: if
 * the record cannot be written, the data must not be shown.
 */
export async function recordAccess(store: EventStore, request: AccessRequest, now: Date = new Date()): Promise<{ eventId: string; position: Position }> {
  const stream = accessLogStream(request.subjectId);
  if (!(ACCESS_ACTIONS as readonly string[]).includes(request.action)) throw new InvalidAuditInputError('action must be read or export');
  if (!PURPOSE.test(request.purpose)) throw new InvalidAuditInputError('purpose must be a code: lower-case letters, digits and dashes, 2–64 characters');
  const fields = request.fields ?? [];
  if (fields.length > 50 || !fields.every((f) => FIELD.test(f))) throw new InvalidAuditInputError('fields must be at most 50 field names');
  if (request.breakGlassGrantId !== undefined && !UUID.test(request.breakGlassGrantId)) throw new InvalidAuditInputError('Invalid break-glass grant id');
  const query = request.query ?? {};
  if (Object.keys(query).length > 20 || !Object.entries(query).every(([key, value]) => FIELD.test(key) && typeof value === 'string' && QUERY_VALUE.test(value)))
    throw new InvalidAuditInputError('query must be at most 20 parameters whose values are codes');
  if (request.rowCount !== undefined && !(Number.isSafeInteger(request.rowCount) && request.rowCount >= 0))
    throw new InvalidAuditInputError('rowCount must be a whole number of rows');
  if (!currentContext()?.principal) throw new NotAttributableError('Recording an access');
  const data: PersonalDataAccessedV1 = {
    subjectId: request.subjectId,
    action: request.action,
    purpose: request.purpose,
    fields: [...new Set(fields)],
    accessedAt: now.toISOString(),
    ...(request.breakGlassGrantId ? { breakGlassGrantId: request.breakGlassGrantId } : {}),
    ...(request.query === undefined ? {} : { query: { ...request.query } }),
    ...(request.rowCount === undefined ? {} : { rowCount: request.rowCount }),
  };
  const event = jsonEvent({ type: PERSONAL_DATA_ACCESSED, schemaVersion: 1, data, metadata: { ...metadataFromContext() } });
  const result = await store.appendToStream(stream, event, { expectedRevision: ANY });
  return { eventId: event.id, position: result.position };
}

/** The access records of one person, oldest first: the "who looked at me" answer. */
export async function readAccessLog(store: EventStore, subjectId: string): Promise<AccessRecord[]> {
  const records: AccessRecord[] = [];
  try {
    for await (const event of store.readStream(accessLogStream(subjectId))) {
      if (event.type !== PERSONAL_DATA_ACCESSED) continue;
      const data = event.data as PersonalDataAccessedV1;
      records.push({
        ...data,
        eventId: event.id,
        actor: asString(event.metadata.actor),
        agency: asString(event.metadata.agency),
        correlationId: asString(event.metadata.correlationId),
      });
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return records;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
