import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a analyst export: plain data, past tense, each type stored with its schema version
 * (ANALYST_EXPORT_EVENT_SCHEMA_VERSIONS; a changed shape is a new version with an upcaster). `note` is free
 * text that may hold personal data: the aggregate lists it in `personalFields`, so it is encrypted
 * before it reaches the log and erasing the record's key shreds it.
 */

export const ANALYST_EXPORT_OUTCOMES = ['RESOLVED', 'WITHDRAWN', 'TRANSFERRED'] as const;
export type AnalystExportOutcome = (typeof ANALYST_EXPORT_OUTCOMES)[number];

export type AnalystExportRegistered = {
  readonly type: 'AnalystExportRegistered';
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

export type AnalystExportClosed = {
  readonly type: 'AnalystExportClosed';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: AnalystExportOutcome };
};

export type AnalystExportEvent = AnalystExportRegistered | AnalystExportClosed;
export type AnalystExportEventType = AnalystExportEvent['type'];

export const ANALYST_EXPORT_EVENT_SCHEMA_VERSIONS: Readonly<Record<AnalystExportEventType, number>> = {
  AnalystExportRegistered: 1,
  AnalystExportClosed: 1,
};

/** The aggregate's name: streams are `AnalystExport-<uuid>`, NATS subjects `evt.projections.AnalystExport.<EventType>`. */
export const ANALYST_EXPORT_AGGREGATE = 'AnalystExport';
