import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a employment record: plain data, past tense, each type stored with its schema version
 * (EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS; a changed shape is a new version with an upcaster). `note` is free
 * text that may hold personal data: the aggregate lists it in `personalFields`, so it is encrypted
 * before it reaches the log and erasing the record's key shreds it.
 */

export const EMPLOYMENT_RECORD_OUTCOMES = ['RESOLVED', 'WITHDRAWN', 'TRANSFERRED'] as const;
export type EmploymentRecordOutcome = (typeof EMPLOYMENT_RECORD_OUTCOMES)[number];

export type EmploymentRecordRegistered = {
  readonly type: 'EmploymentRecordRegistered';
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

export type EmploymentRecordClosed = {
  readonly type: 'EmploymentRecordClosed';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: EmploymentRecordOutcome };
};

export type EmploymentRecordEvent = EmploymentRecordRegistered | EmploymentRecordClosed;
export type EmploymentRecordEventType = EmploymentRecordEvent['type'];

export const EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS: Readonly<Record<EmploymentRecordEventType, number>> = {
  EmploymentRecordRegistered: 1,
  EmploymentRecordClosed: 1,
};

/** The aggregate's name: streams are `EmploymentRecord-<uuid>`, NATS subjects `evt.employment.EmploymentRecord.<EventType>`. */
export const EMPLOYMENT_RECORD_AGGREGATE = 'EmploymentRecord';
