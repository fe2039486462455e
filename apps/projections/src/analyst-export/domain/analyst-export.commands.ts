import type { IsoDate } from '@haidang/calendar';
import type { AnalystExportOutcome } from './analyst-export.events';

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

export type RegisterAnalystExport = {
  readonly type: 'RegisterAnalystExport';
  readonly data: {
    readonly recordId: string;
    readonly communeCode: string;
    /** Derived by the service from the commune, never the caller's. */
    readonly provinceCode: string;
    readonly registeredOn: IsoDate;
    readonly note: string;
  };
};

export type CloseAnalystExport = {
  readonly type: 'CloseAnalystExport';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: AnalystExportOutcome };
};

export type AnalystExportCommand = RegisterAnalystExport | CloseAnalystExport;
