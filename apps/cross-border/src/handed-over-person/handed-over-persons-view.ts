import { isErased, type PersonalDataProtector } from '@haidang/pii';
import { needsOf, type NeedAsked } from './domain';
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
  /** The needs asked one by one, each with its agency (none for persons recorded before needs existed). */
  readonly needs: readonly NeedAsked[];
  /** The person in `cases`, when support was asked. */
  readonly casesPersonId: string | null;
}

/** The personal fields a view shows (what the access log names). */
export const SHOWN_PERSONAL_FIELDS = ['fullName', 'birthYear'] as const;

/**
 * The persons a record names, each revealed with their own key. `beforeReveal` runs for each
 * recorded person before anything of theirs is decrypted (the access log: if it cannot be written,
 * nothing is shown).
 */
export async function handedOverPersonsView(
  store: HandedOverPersonStore,
  protector: PersonalDataProtector,
  ids: readonly string[],
  beforeReveal: (id: string) => Promise<void> = async () => undefined,
): Promise<HandedOverPersonView[]> {
  const views: HandedOverPersonView[] = [];
  for (const id of ids) {
    const recorded = (await store.load(id)).state.recorded;
    if (recorded === null) {
      views.push({ id, recorded: false, fullName: null, birthYear: null, erased: false, supportAgency: null, needs: [], casesPersonId: null });
      continue;
    }
    await beforeReveal(id);
    const shown = await protector.reveal(id, recorded, HANDED_OVER_PERSON_PERSONAL_FIELDS);
    const fullName = shown['fullName'] as string;
    views.push({
      id,
      recorded: true,
      fullName,
      birthYear: (shown['birthYear'] as number | string | null) ?? null,
      erased: isErased(fullName),
      supportAgency: recorded.supportAgency,
      needs: needsOf(recorded),
      casesPersonId: recorded.casesPersonId,
    });
  }
  return views;
}
