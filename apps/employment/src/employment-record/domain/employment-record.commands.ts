import type { IsoDate } from '@haidang/calendar';
import type { EmploymentRecordOutcome } from './employment-record.events';

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

export type RegisterEmploymentRecord = {
  readonly type: 'RegisterEmploymentRecord';
  readonly data: {
    readonly recordId: string;
    readonly communeCode: string;
    /** Derived by the service from the commune, never the caller's. */
    readonly provinceCode: string;
    readonly registeredOn: IsoDate;
    readonly note: string;
  };
};

export type CloseEmploymentRecord = {
  readonly type: 'CloseEmploymentRecord';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: EmploymentRecordOutcome };
};

export type EmploymentRecordCommand = RegisterEmploymentRecord | CloseEmploymentRecord;
