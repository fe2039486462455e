import type { IsoDate } from '@haidang/calendar';

/**
 * A person named in a handover's minutes, as cross-border keeps them: their own stream
 * (`HandedOverPerson-<uuid>`) and so their own key, whatever the record. Shredding that key erases
 * this person's name and nothing else; the record, its seal and its statistics stay whole.
 */

/** Who may need support after being received from China (DESIGN: a trafficking victim received becomes a referral). */
export const SUPPORTED_CATEGORIES = ['TRAFFICKING_VICTIM', 'RETURNED_CITIZEN'] as const;
export type SupportedCategory = (typeof SUPPORTED_CATEGORIES)[number];

/**
 * What a person received may need, asked one agency each (one referral per need, made by the
 * referrals service): a place to stay, health care, legal aid. Support as a whole (`supportAgency`,
 * the integration contract's `VICTIM_SUPPORT`) is asked as before.
 */
export const SUPPORT_NEEDS = ['SHELTER', 'HEALTH', 'LEGAL_AID'] as const;
export type SupportNeed = (typeof SUPPORT_NEEDS)[number];

/** A need and the agency asked for it (an agency code of the record's province): no personal data. */
export interface NeedAsked {
  readonly need: SupportNeed;
  readonly agency: string;
}

/**
 * The state agency types that provide each need in a province (a non-state partner needs the
 * person's consent: refer from the referrals service instead). Since 2025-03-01 the Department of
 * Health holds social protection (its establishments shelter people and arrange legal aid) and
 * victim support; the commune shelters and helps at home. The referrals catalogue has the last word:
 * a receiver it refuses is dead-lettered there.
 */
export const NEED_RECEIVER_TYPES: Readonly<Record<SupportNeed, readonly string[]>> = {
  SHELTER: ['COMMUNE', 'HEALTH'],
  HEALTH: ['HEALTH'],
  LEGAL_AID: ['COMMUNE', 'HEALTH'],
};

/** What `cases` registered the person with: personal, encrypted as a whole with the person's key. */
export interface SupportDetails {
  readonly sex: 'MALE' | 'FEMALE';
  readonly dateOfBirth: IsoDate;
  /** The home commune the person returns to. */
  readonly residence: { readonly provinceCode: string; readonly communeCode: string };
  readonly address: string;
}

export type HandedOverPersonRecorded = {
  readonly type: 'HandedOverPersonRecorded';
  readonly data: {
    readonly personId: string;
    readonly recordId: string;
    readonly provinceCode: string;
    readonly direction: 'RECEIVED_FROM_CHINA' | 'HANDED_TO_CHINA';
    readonly category: 'TRAFFICKING_VICTIM' | 'WANTED_PERSON' | 'ILLEGAL_ENTRANT' | 'RETURNED_CITIZEN';
    readonly occurredOn: IsoDate;
    /** The agency that recorded the handover (the person's receiver). */
    readonly recordedByAgency: string;
    /** Personal: encrypted with this person's key. */
    readonly fullName: string;
    /** Personal: encrypted with this person's key. */
    readonly birthYear: number | null;
    /** The agency asked for support as a whole, e.g. `20-HEALTH`; null: none asked (or only `needs`). */
    readonly supportAgency: string | null;
    /**
     * The needs asked one by one, each of its own agency (not personal). Absent in persons recorded
     * before needs existed: read as none (`needsOf`).
     */
    readonly needs?: readonly NeedAsked[];
    /** Personal, encrypted: what `cases` registered the person with; present exactly when support or a need is asked. */
    readonly support: SupportDetails | null;
    /** The person in `cases` (registered with the receiving officer's token before this was recorded); null when no support is asked. */
    readonly casesPersonId: string | null;
  };
};

/** The needs of a recorded person, as recorded (none in persons recorded before needs existed). */
export const needsOf = (data: HandedOverPersonRecorded['data']): readonly NeedAsked[] => data.needs ?? [];

/** A marker after the person's key was shredded (crypto-shredding): the reference of the request, nothing personal. */
export type HandedOverPersonErased = {
  readonly type: 'HandedOverPersonErased';
  readonly data: { readonly reference: string };
};

export type HandedOverPersonEvent = HandedOverPersonRecorded | HandedOverPersonErased;

export const HANDED_OVER_PERSON_EVENT_SCHEMA_VERSIONS: Readonly<Record<HandedOverPersonEvent['type'], number>> = {
  HandedOverPersonRecorded: 1,
  HandedOverPersonErased: 1,
};

/** Streams `HandedOverPerson-<uuid>`. */
export const HANDED_OVER_PERSON_AGGREGATE = 'HandedOverPerson';
