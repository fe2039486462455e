import type { IsoDate } from '@haidang/calendar';
import { TRAINEE_GROUPS, type TraineeGroup } from '../../training/domain/training.events';

/**
 * The staff register: how many staff of one group an agency has (rehab facility staff, after-care
 * staff of a commune, officials…), from a day on, until a later count. Counts only, never a person.
 * It is the denominator of "100% of rehab and after-care staff trained" (REHAB_STAFF_TRAINED), whose
 * numerator is the trainings' participants of the same groups.
 */
export const STAFF_GROUPS = TRAINEE_GROUPS;
export type StaffGroup = TraineeGroup;

export type StaffRosterIdentity = {
  readonly rosterId: string;
  readonly provinceCode: string;
  /** The agency whose staff are counted, e.g. `22-REHAB_FACILITY-1`, `22-COMMUNE-06793`. */
  readonly agencyCode: string;
  readonly group: StaffGroup;
};

export type StaffRosterRegistered = {
  readonly type: 'StaffRosterRegistered';
  readonly data: StaffRosterIdentity & { readonly headcount: number; readonly asOf: IsoDate };
};

/** A new count from `asOf` on; the earlier ones stay in the history. */
export type StaffHeadcountChanged = {
  readonly type: 'StaffHeadcountChanged';
  readonly data: StaffRosterIdentity & { readonly headcount: number; readonly asOf: IsoDate };
};

export type StaffRosterEvent = StaffRosterRegistered | StaffHeadcountChanged;

export const STAFF_ROSTER_EVENT_SCHEMA_VERSIONS: Readonly<Record<StaffRosterEvent['type'], number>> = { StaffRosterRegistered: 1, StaffHeadcountChanged: 1 };

/** Streams `StaffRoster-<uuid>`, one per agency and group. */
export const STAFF_ROSTER_AGGREGATE = 'StaffRoster';
