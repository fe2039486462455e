import { defineAggregate, deterministicUuid, type AggregateStore } from '@haidang/service-kit';
import {
  STAFF_ROSTER_AGGREGATE,
  STAFF_ROSTER_EVENT_SCHEMA_VERSIONS,
  staffRosterDecider,
  staffRosterError,
  type StaffRosterCommand,
  type StaffRosterEvent,
  type StaffRosterState,
} from './domain';

/** Streams `StaffRoster-<uuid>`: counts only. */
export const staffRoster = defineAggregate({
  service: 'campaigns',
  name: STAFF_ROSTER_AGGREGATE,
  decider: staffRosterDecider,
  schemaVersions: STAFF_ROSTER_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: staffRosterError('already-registered'),
});

/** One entry per agency and group: its id follows from them, so a second registration finds the first (409). */
export const staffRosterIdFor = (agencyCode: string, group: string): string => deterministicUuid(staffRoster.idNamespace, agencyCode, group);

export type StaffRosterStore = AggregateStore<StaffRosterCommand, StaffRosterEvent, StaffRosterState>;
export const STAFF_ROSTER_STORE = Symbol('STAFF_ROSTER_STORE');
