import { definePolicy } from '@haidang/auth';
import type { AgencyType } from '@haidang/request-context';
import type { RecordKind } from './cooperation-record/domain';

/**
 * The cross-border service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). A record belongs to a province: its Border Guard and police record and
 * read it (`any-in-province`: nobody outside the province reaches it); only supervisors seal what
 * the counterpart co-signed; the provincial People's Committee reads statistics only. The names of
 * handed-over persons are shown to the agencies handling them (`records.persons`), never to auditors.
 * The provincial Department of Foreign Affairs reads the province's meetings and talks with the
 * counterpart, their seals and their bilingual exports, and the registers — nothing else
 * (`KINDS_READ_BY`, the second column of `records.read`).
 */
const RECORDING_AGENCIES = ['BORDER_GUARD', 'POLICE'] as const;

export const crossBorderPolicy = definePolicy({
  'records.register': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'records.manage': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'records.seal': { agencyTypes: RECORDING_AGENCIES, roles: ['supervisor'], scope: 'any-in-province' },
  'records.read': { agencyTypes: [...RECORDING_AGENCIES, 'FOREIGN_AFFAIRS'], roles: ['caseworker', 'supervisor', 'auditor'], scope: 'any-in-province' },
  'records.persons': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  // Crypto-shredding one handed-over person (their own key): the data-protection officers of the recording agencies.
  'persons.erase': { agencyTypes: RECORDING_AGENCIES, roles: ['data-protection'], scope: 'any-in-province' },
  'statistics.read': {
    agencyTypes: [...RECORDING_AGENCIES, 'PPC'],
    roles: ['caseworker', 'supervisor', 'analyst'],
    scope: { BORDER_GUARD: 'any-in-province', POLICE: 'any-in-province', PPC: 'aggregates-only' },
  },
  'registers.read': {
    agencyTypes: [...RECORDING_AGENCIES, 'PPC', 'FOREIGN_AFFAIRS'],
    roles: ['caseworker', 'supervisor', 'analyst', 'auditor'],
    scope: 'any-in-province',
  },
});

export type CrossBorderAction = (typeof crossBorderPolicy.actions)[number];

/**
 * The record kinds an agency type reads under `records.read` when it reads only some (anyone not
 * listed reads every kind): foreign affairs reads meetings and talks. A record of another kind is
 * refused like one outside the province (403), and lists hold only these kinds.
 */
export const KINDS_READ_BY: Readonly<Partial<Record<AgencyType, readonly RecordKind[]>>> = {
  FOREIGN_AFFAIRS: ['MEETING'],
};
