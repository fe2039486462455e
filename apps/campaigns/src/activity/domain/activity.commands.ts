import type { IsoDate } from '@haidang/calendar';
import type { ActivityOutcome } from './activity.events';

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

export type RegisterActivity = {
  readonly type: 'RegisterActivity';
  readonly data: {
    readonly recordId: string;
    readonly communeCode: string;
    /** Derived by the service from the commune, never the caller's. */
    readonly provinceCode: string;
    readonly registeredOn: IsoDate;
    readonly note: string;
  };
};

export type CloseActivity = {
  readonly type: 'CloseActivity';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: ActivityOutcome };
};

export type ActivityCommand = RegisterActivity | CloseActivity;
