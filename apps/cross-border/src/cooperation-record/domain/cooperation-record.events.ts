import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a cooperation record with Guangxi: plain data, past tense, each type stored with
 * its schema version (COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS). A record is append-only: it is
 * registered, may get its Chinese text and a reply, and is sealed; a sealed record never changes and
 * is corrected only by a new record that names it in `corrects`.
 */

export const RECORD_KINDS = ['MEETING', 'INFORMATION_EXCHANGE', 'JOINT_PATROL', 'JOINT_CASE', 'HANDOVER', 'PERIOD_SUMMARY'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const MEETING_LEVELS = ['MINISTRY', 'PROVINCE', 'DISTRICT', 'BORDER_POST'] as const;
export const EXCHANGE_CHANNELS = ['HOTLINE', 'LIAISON_OFFICE', 'LETTER'] as const;
export const EXCHANGE_DIRECTIONS = ['SENT', 'RECEIVED'] as const;
export const EXCHANGE_SUBJECTS = ['DRUGS', 'HUMAN_TRAFFICKING', 'WANTED_PERSON', 'ILLEGAL_ENTRY', 'SMUGGLING', 'OTHER'] as const;
export const OFFENCES = ['DRUGS', 'HUMAN_TRAFFICKING', 'SMUGGLING', 'OTHER'] as const;
export const NATIONALITIES = ['VN', 'CN', 'OTHER'] as const;
export const SUBSTANCES = ['HEROIN', 'SYNTHETIC_DRUGS', 'METHAMPHETAMINE', 'OPIUM', 'CANNABIS'] as const;
export const SEIZURE_UNITS = ['BRICK', 'GRAM', 'PILL'] as const;
export const HANDOVER_DIRECTIONS = ['RECEIVED_FROM_CHINA', 'HANDED_TO_CHINA'] as const;
export const HANDOVER_CATEGORIES = ['TRAFFICKING_VICTIM', 'WANTED_PERSON', 'ILLEGAL_ENTRANT', 'RETURNED_CITIZEN'] as const;

export type MeetingLevel = (typeof MEETING_LEVELS)[number];
export type ExchangeChannel = (typeof EXCHANGE_CHANNELS)[number];
export type ExchangeDirection = (typeof EXCHANGE_DIRECTIONS)[number];
export type ExchangeSubject = (typeof EXCHANGE_SUBJECTS)[number];
export type Offence = (typeof OFFENCES)[number];
export type Nationality = (typeof NATIONALITIES)[number];
export type Substance = (typeof SUBSTANCES)[number];
export type SeizureUnit = (typeof SEIZURE_UNITS)[number];
export type HandoverDirection = (typeof HANDOVER_DIRECTIONS)[number];
export type HandoverCategory = (typeof HANDOVER_CATEGORIES)[number];

/** A text in Vietnamese (required) and simplified Chinese (required before the counterpart co-signs). */
export interface LocalizedText {
  readonly title: string;
  readonly body: string;
}

export interface AgreedPoint {
  readonly vi: string;
  readonly zh: string | null;
}

export type RecordDetails =
  | { readonly kind: 'MEETING'; readonly level: MeetingLevel; readonly place: string; readonly agreedPoints: readonly AgreedPoint[] }
  | {
      readonly kind: 'INFORMATION_EXCHANGE';
      readonly channel: ExchangeChannel;
      readonly direction: ExchangeDirection;
      readonly subject: ExchangeSubject;
      /** Working days (official calendar) the other side has to reply; null when no reply is asked. */
      readonly replyWithinWorkingDays: number | null;
      /** Derived: `occurredOn` + that many working days. */
      readonly replyDueOn: IsoDate | null;
    }
  | {
      readonly kind: 'JOINT_PATROL';
      readonly markerFrom: string;
      readonly markerTo: string;
      readonly vietnameseUnits: readonly string[];
      /** Counterpart unit codes (register). */
      readonly chineseUnits: readonly string[];
    }
  | {
      readonly kind: 'JOINT_CASE';
      readonly caseNumberVn: string;
      readonly caseNumberCn: string;
      readonly offence: Offence;
      readonly arrests: readonly { readonly nationality: Nationality; readonly count: number }[];
      readonly seizures: readonly { readonly substance: Substance; readonly quantity: number; readonly unit: SeizureUnit }[];
    }
  | {
      readonly kind: 'HANDOVER';
      readonly direction: HandoverDirection;
      readonly category: HandoverCategory;
      readonly count: number;
      readonly minutesNumber: string;
      readonly minutesSignedOn: IsoDate;
    }
  | {
      readonly kind: 'PERIOD_SUMMARY';
      readonly periodFrom: IsoDate;
      readonly periodTo: IsoDate;
      readonly figures: readonly { readonly category: string; readonly value: number }[];
    };

export type CooperationRecordRegistered = {
  readonly type: 'CooperationRecordRegistered';
  readonly data: {
    readonly recordId: string;
    readonly kind: RecordKind;
    /** The province that holds the record: its scope. */
    readonly provinceCode: string;
    readonly occurredOn: IsoDate;
    readonly crossingCode: string | null;
    readonly counterpartCodes: readonly string[];
    readonly vi: LocalizedText;
    readonly zh: LocalizedText | null;
    readonly translator: string | null;
    readonly details: RecordDetails;
    /** The sealed record this one corrects. */
    readonly corrects: string | null;
    /**
     * Handovers only: the persons named in the minutes, each a `HandedOverPerson` stream of its own
     * (their names are there, encrypted with each person's key); null otherwise.
     */
    readonly personIds: readonly string[] | null;
  };
};

export type TranslationAdded = {
  readonly type: 'TranslationAdded';
  readonly data: { readonly zh: LocalizedText; readonly agreedPointsZh: readonly string[]; readonly translator: string };
};

export type ReplyReceived = {
  readonly type: 'ReplyReceived';
  readonly data: { readonly receivedOn: IsoDate; readonly overdue: boolean };
};

export type RecordSealed = {
  readonly type: 'RecordSealed';
  readonly data: {
    readonly sealedOn: IsoDate;
    readonly contentHash: string;
    readonly hashAlgorithm: 'SHA-256';
    readonly signature: string;
    readonly signatureAlgorithm: 'Ed25519';
    readonly publicKey: string;
    readonly sealedByAgency: string;
  };
};

export type CooperationRecordEvent = CooperationRecordRegistered | TranslationAdded | ReplyReceived | RecordSealed;
export type CooperationRecordEventType = CooperationRecordEvent['type'];

export const COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS: Readonly<Record<CooperationRecordEventType, number>> = {
  CooperationRecordRegistered: 1,
  TranslationAdded: 1,
  ReplyReceived: 1,
  RecordSealed: 1,
};

/** The aggregate's name: streams are `CooperationRecord-<uuid>`, NATS subjects `evt.cross-border.CooperationRecord.<EventType>`. */
export const COOPERATION_RECORD_AGGREGATE = 'CooperationRecord';
