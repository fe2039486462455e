import type { IsoDate } from '@haidang/calendar';
import type { CooperationRecordOutcome } from './cooperation-record.events';

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

export type RegisterCooperationRecord = {
  readonly type: 'RegisterCooperationRecord';
  readonly data: {
    readonly recordId: string;
    readonly communeCode: string;
    /** Derived by the service from the commune, never the caller's. */
    readonly provinceCode: string;
    readonly registeredOn: IsoDate;
    readonly note: string;
  };
};

export type CloseCooperationRecord = {
  readonly type: 'CloseCooperationRecord';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: CooperationRecordOutcome };
};

export type CooperationRecordCommand = RegisterCooperationRecord | CloseCooperationRecord;
