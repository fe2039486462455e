/**
 * The referral catalogue as data: which agencies exist, which of them are state bodies, and for each
 * service who may receive it, how fast they must answer and whether treatment data may travel with
 * it. Rules read these tables; a change of policy is a change here, not in an `if`.
 */

import type { AgencyFunction, AgencyType } from '@haidang/request-context';

/**
 * Agency types are the platform's one list (`@haidang/request-context`, the `<TYPE>` of an agency
 * code `<province>-<TYPE>[-<n>]`), so a code a token carries is a code a referral can name. Every
 * type needs a row in AGENCY_TYPE_TABLE below: adding one there without a row does not compile.
 */
export { AGENCY_TYPES, type AgencyType } from '@haidang/request-context';

export interface AgencyTypeRule {
  /**
   * false for a non-state receiver: sharing a person's data with it needs the person's recorded
   * consent or a legal basis (Law 91/2025/QH15 on personal data protection).
   */
  readonly stateBody: boolean;
  readonly description: string;
}

export const AGENCY_TYPE_TABLE: Readonly<Record<AgencyType, AgencyTypeRule>> = {
  PPC: { stateBody: true, description: "provincial People's Committee (UBND tỉnh)" },
  DOLISA: {
    stateBody: true,
    description: 'Department of Labour, Invalids and Social Affairs (Sở LĐ-TB&XH) and its social protection centres, until 2025-02-28',
  },
  REHAB_FACILITY: { stateBody: true, description: 'drug rehabilitation facility (cơ sở cai nghiện ma túy)' },
  POLICE: { stateBody: true, description: 'provincial police (Công an tỉnh)' },
  COMMUNE_POLICE: { stateBody: true, description: 'commune police (Công an xã)' },
  BORDER_GUARD: { stateBody: true, description: 'border guard (Bộ đội Biên phòng)' },
  COMMUNE: { stateBody: true, description: "commune People's Committee (UBND xã) and its volunteer social-work team" },
  EMPLOYMENT_CENTRE: { stateBody: true, description: 'employment service centre (Trung tâm dịch vụ việc làm)' },
  SUPPORT_MODEL: { stateBody: false, description: 'counselling point or after-care club (non-state)' },
  NGO: { stateBody: false, description: 'non-governmental partner organisation, e.g. a community-based HIV or anti-trafficking group (non-state)' },
  HEALTH: {
    stateBody: true,
    description: 'health service (HIV clinic, methadone point); since 2025-03-01 also the Department of Health for social protection, children, social evils',
  },
  COURT: { stateBody: true, description: 'regional People’s Court (Tòa án nhân dân khu vực)' },
  HOME_AFFAIRS: { stateBody: true, description: 'Department of Home Affairs (Sở Nội vụ): labour and employment since 2025' },
  EDUCATION: { stateBody: true, description: 'Department of Education and Training (Sở Giáo dục và Đào tạo): vocational education since 2025' },
  FOREIGN_AFFAIRS: { stateBody: true, description: 'Department of Foreign Affairs (Sở Ngoại vụ)' },
};

export const URGENCIES = ['NORMAL', 'HIGH'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const SERVICE_TYPES = [
  'REHAB_ADMISSION',
  'COUNSELLING',
  'JOB_COUNSELLING',
  'VOCATIONAL_TRAINING',
  'JOB_PLACEMENT',
  'HEALTH_HIV_METHADONE',
  'LEGAL_AID',
  'TRAFFICKING_VICTIM_SUPPORT',
  'SHELTER',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface ServiceRule {
  /**
   * Working days the receiver has to accept or decline, counted from the day it was sent (or
   * redirected). HIGH is NORMAL halved, rounded up, at least 1; a unit test holds every row to that.
   */
  readonly responseWorkingDays: Readonly<Record<Urgency, number>>;
  /** Only health-related services may carry treatment data (addiction, HIV, methadone status). */
  readonly healthRelated: boolean;
  /**
   * Agency types that provide the service on any date and so may receive the referral (the
   * commune, the facility, the employment centre, non-state partners).
   */
  readonly receivers: readonly AgencyType[];
  /**
   * Provincial functions whose holder on the referral's date receives it too: DOLISA until
   * 2025-02-28, then Health, Home Affairs or Education (the platform's agency table, ADR 0010).
   */
  readonly receivingFunctions: readonly AgencyFunction[];
}

/**
 * Response times are a policy choice of this project, not a legal deadline (verify with the
 * provincial departments that now hold DOLISA's functions):
 * a trafficking victim or a person without shelter needs an answer the next working day; admission
 * and health within three; counselling and legal aid within a week; training and jobs within two.
 */
export const SERVICE_CATALOGUE: Readonly<Record<ServiceType, ServiceRule>> = {
  TRAFFICKING_VICTIM_SUPPORT: {
    responseWorkingDays: { NORMAL: 1, HIGH: 1 },
    healthRelated: false,
    receivers: ['COMMUNE', 'SUPPORT_MODEL', 'NGO', 'HEALTH'],
    receivingFunctions: ['TRAFFICKING_VICTIM_SUPPORT'],
  },
  SHELTER: {
    responseWorkingDays: { NORMAL: 1, HIGH: 1 },
    healthRelated: false,
    receivers: ['COMMUNE', 'SUPPORT_MODEL', 'NGO'],
    // Social-protection establishments (cơ sở trợ giúp xã hội) shelter people.
    receivingFunctions: ['SOCIAL_PROTECTION'],
  },
  REHAB_ADMISSION: {
    responseWorkingDays: { NORMAL: 3, HIGH: 2 },
    healthRelated: true,
    // Voluntary rehab at home or in the community is organised by the commune.
    receivers: ['REHAB_FACILITY', 'HEALTH', 'COMMUNE'],
    receivingFunctions: [],
  },
  HEALTH_HIV_METHADONE: {
    responseWorkingDays: { NORMAL: 3, HIGH: 2 },
    healthRelated: true,
    // Community-based organisations do HIV testing and PrEP outreach: the non-state health receivers.
    receivers: ['HEALTH', 'SUPPORT_MODEL', 'NGO'],
    receivingFunctions: [],
  },
  COUNSELLING: {
    responseWorkingDays: { NORMAL: 5, HIGH: 3 },
    healthRelated: false,
    receivers: ['SUPPORT_MODEL', 'NGO', 'COMMUNE', 'HEALTH', 'REHAB_FACILITY'],
    // The social-work centres belong to social protection.
    receivingFunctions: ['SOCIAL_PROTECTION'],
  },
  LEGAL_AID: {
    responseWorkingDays: { NORMAL: 5, HIGH: 3 },
    healthRelated: false,
    // The state legal-aid centres (Department of Justice) are not an agency type yet.
    receivers: ['COMMUNE', 'SUPPORT_MODEL', 'NGO'],
    receivingFunctions: ['SOCIAL_PROTECTION'],
  },
  // Free job counselling and introduction for everyone after rehab who needs it (plan 146/KH-UBND):
  // proposed as a draft when cases records a completed rehab.
  JOB_COUNSELLING: {
    responseWorkingDays: { NORMAL: 5, HIGH: 3 },
    healthRelated: false,
    receivers: ['EMPLOYMENT_CENTRE', 'SUPPORT_MODEL', 'NGO'],
    receivingFunctions: ['LABOUR_EMPLOYMENT'],
  },
  VOCATIONAL_TRAINING: {
    responseWorkingDays: { NORMAL: 10, HIGH: 5 },
    healthRelated: false,
    receivers: ['EMPLOYMENT_CENTRE', 'REHAB_FACILITY'],
    receivingFunctions: ['VOCATIONAL_EDUCATION'],
  },
  JOB_PLACEMENT: {
    responseWorkingDays: { NORMAL: 10, HIGH: 5 },
    healthRelated: false,
    // After-care clubs introduce jobs too (plan 146/KH-UBND), hence the non-state receiver.
    receivers: ['EMPLOYMENT_CENTRE', 'SUPPORT_MODEL', 'NGO'],
    receivingFunctions: ['LABOUR_EMPLOYMENT'],
  },
};
