import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a cooperation record: plain data, past tense, each type stored with its schema version
 * (COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS; a changed shape is a new version with an upcaster). `note` is free
 * text that may hold personal data: the aggregate lists it in `personalFields`, so it is encrypted
 * before it reaches the log and erasing the record's key shreds it.
 */

export const COOPERATION_RECORD_OUTCOMES = ['RESOLVED', 'WITHDRAWN', 'TRANSFERRED'] as const;
export type CooperationRecordOutcome = (typeof COOPERATION_RECORD_OUTCOMES)[number];

export type CooperationRecordRegistered = {
  readonly type: 'CooperationRecordRegistered';
  readonly data: {
    readonly recordId: string;
    /** Where the record lies: its scope (policy) and the list's filter. Codes of units in force. */
    readonly communeCode: string;
    readonly provinceCode: string;
    readonly registeredOn: IsoDate;
    /** Personal: encrypted in the log. */
    readonly note: string;
  };
};

export type CooperationRecordClosed = {
  readonly type: 'CooperationRecordClosed';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: CooperationRecordOutcome };
};

export type CooperationRecordEvent = CooperationRecordRegistered | CooperationRecordClosed;
export type CooperationRecordEventType = CooperationRecordEvent['type'];

export const COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS: Readonly<Record<CooperationRecordEventType, number>> = {
  CooperationRecordRegistered: 1,
  CooperationRecordClosed: 1,
};

/** The aggregate's name: streams are `CooperationRecord-<uuid>`, NATS subjects `evt.cross-border.CooperationRecord.<EventType>`. */
export const COOPERATION_RECORD_AGGREGATE = 'CooperationRecord';
