import { ANY, jsonEvent, StreamNotFoundError, type EventStore } from '@haidang/event-store';
import { metadataFromContext } from '@haidang/request-context';

/**
 * Which handed-over persons are a person of cases: a stream per cases person
 * (`CasesPersonLink-<cases person id>`), an event per handed-over person registered as them. Ids
 * only. Written before the person's own stream, read when cases erases the person
 * (`cases.PersonErased.v1`), so the erasure finds them at once, without waiting for a read model.
 */
export const CASES_PERSON_LINK_AGGREGATE = 'CasesPersonLink';
export const HANDED_OVER_PERSON_LINKED = 'HandedOverPersonLinked';

const streamOf = (casesPersonId: string): string => `${CASES_PERSON_LINK_AGGREGATE}-${casesPersonId}`;

/** The handed-over persons linked to a person of cases, each once. */
export async function handedOverPersonsOf(store: EventStore, casesPersonId: string): Promise<string[]> {
  const ids = new Set<string>();
  try {
    for await (const event of store.readStream(streamOf(casesPersonId))) {
      const id = (event.data as { handedOverPersonId?: unknown }).handedOverPersonId;
      if (event.type === HANDED_OVER_PERSON_LINKED && typeof id === 'string') ids.add(id);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return [...ids];
}

/** Links a handed-over person to their person in cases; a retry that finds the link adds nothing. */
export async function linkCasesPerson(store: EventStore, casesPersonId: string, handedOverPersonId: string): Promise<void> {
  if ((await handedOverPersonsOf(store, casesPersonId)).includes(handedOverPersonId)) return;
  await store.appendToStream(
    streamOf(casesPersonId),
    jsonEvent({ type: HANDED_OVER_PERSON_LINKED, data: { handedOverPersonId }, metadata: { ...metadataFromContext() } }),
    { expectedRevision: ANY },
  );
}
