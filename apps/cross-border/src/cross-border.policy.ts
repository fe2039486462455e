import { definePolicy } from '@haidang/auth';

/**
 * The cross-border service's one policy: every route names one of these actions, anything else is
 * refused (deny by default). A record belongs to a province: its Border Guard and police record and
 * read it (`any-in-province`: nobody outside the province reaches it); only supervisors seal what
 * the counterpart co-signed; the provincial People's Committee reads statistics only. The names of
 * handed-over persons are shown to the agencies handling them (`records.persons`), never to auditors.
 * Limit: the foreign-affairs department (meetings only) has no agency type in @haidang/request-context.
 */
const RECORDING_AGENCIES = ['BORDER_GUARD', 'POLICE'] as const;

export const crossBorderPolicy = definePolicy({
  'records.register': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'records.manage': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'records.seal': { agencyTypes: RECORDING_AGENCIES, roles: ['supervisor'], scope: 'any-in-province' },
  'records.read': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor', 'auditor'], scope: 'any-in-province' },
  'records.persons': { agencyTypes: RECORDING_AGENCIES, roles: ['caseworker', 'supervisor'], scope: 'any-in-province' },
  'statistics.read': {
    agencyTypes: [...RECORDING_AGENCIES, 'PPC'],
    roles: ['caseworker', 'supervisor', 'analyst'],
    scope: { BORDER_GUARD: 'any-in-province', POLICE: 'any-in-province', PPC: 'aggregates-only' },
  },
  'registers.read': { agencyTypes: [...RECORDING_AGENCIES, 'PPC'], roles: ['caseworker', 'supervisor', 'analyst', 'auditor'], scope: 'any-in-province' },
});

export type CrossBorderAction = (typeof crossBorderPolicy.actions)[number];
