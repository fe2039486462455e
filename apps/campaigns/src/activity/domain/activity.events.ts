import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a activity: plain data, past tense, each type stored with its schema version
 * (ACTIVITY_EVENT_SCHEMA_VERSIONS; a changed shape is a new version with an upcaster). `note` is free
 * text that may hold personal data: the aggregate lists it in `personalFields`, so it is encrypted
 * before it reaches the log and erasing the record's key shreds it.
 */

export const ACTIVITY_OUTCOMES = ['RESOLVED', 'WITHDRAWN', 'TRANSFERRED'] as const;
export type ActivityOutcome = (typeof ACTIVITY_OUTCOMES)[number];

export type ActivityRegistered = {
  readonly type: 'ActivityRegistered';
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

export type ActivityClosed = {
  readonly type: 'ActivityClosed';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: ActivityOutcome };
};

export type ActivityEvent = ActivityRegistered | ActivityClosed;
export type ActivityEventType = ActivityEvent['type'];

export const ACTIVITY_EVENT_SCHEMA_VERSIONS: Readonly<Record<ActivityEventType, number>> = {
  ActivityRegistered: 1,
  ActivityClosed: 1,
};

/** The aggregate's name: streams are `Activity-<uuid>`, NATS subjects `evt.campaigns.Activity.<EventType>`. */
export const ACTIVITY_AGGREGATE = 'Activity';
