import { isErased, type PersonalDataProtector } from '@haidang/pii';
import { HANDED_OVER_PERSON_PERSONAL_FIELDS, type HandedOverPersonStore } from './handed-over-person.aggregate';

/** A person of a handover as shown to the agencies handling them: `[erased]` once their key was shredded. */
export interface HandedOverPersonView {
  readonly id: string;
  /** False while the record's registration has not finished (its retry appends the person). */
  readonly recorded: boolean;
  readonly fullName: string | null;
  readonly birthYear: number | string | null;
  readonly erased: boolean;
  readonly supportAgency: string | null;
  /** The person in `cases`, when support was asked. */
  readonly casesPersonId: string | null;
}

/** The persons a record names, each revealed with their own key. */
export async function handedOverPersonsView(
  store: HandedOverPersonStore,
  protector: PersonalDataProtector,
  ids: readonly string[],
): Promise<HandedOverPersonView[]> {
  const views: HandedOverPersonView[] = [];
  for (const id of ids) {
    const recorded = (await store.load(id)).state.recorded;
    if (recorded === null) {
      views.push({ id, recorded: false, fullName: null, birthYear: null, erased: false, supportAgency: null, casesPersonId: null });
      continue;
    }
    const shown = await protector.reveal(id, recorded, HANDED_OVER_PERSON_PERSONAL_FIELDS);
    const fullName = shown['fullName'] as string;
    views.push({
      id,
      recorded: true,
      fullName,
      birthYear: (shown['birthYear'] as number | string | null) ?? null,
      erased: isErased(fullName),
      supportAgency: recorded.supportAgency,
      casesPersonId: recorded.casesPersonId,
    });
  }
  return views;
}
