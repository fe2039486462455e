import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a support model (mô hình): volunteer social-work teams, counselling points,
 * after-care clubs, school prevention models and mass-mobilisation models. A model is also an
 * agency (`<province>-SUPPORT_MODEL-<n>`): the code the referrals service sends persons to and the
 * model's officers sign in with. What it does is logged as counts only, never persons.
 */

export const SUPPORT_MODEL_KINDS = ['VOLUNTEER_TEAM', 'COUNSELLING_POINT', 'AFTER_CARE_CLUB', 'SCHOOL_MODEL', 'MASS_MOBILISATION_MODEL'] as const;
export type SupportModelKind = (typeof SUPPORT_MODEL_KINDS)[number];

/** Who runs it. Mass organisations have no agency code of their own on the platform (yet): they are named by type. */
export const OWNER_TYPES = ['COMMUNE', 'WOMENS_UNION', 'YOUTH_UNION', 'FATHERLAND_FRONT', 'BORDER_GUARD', 'SCHOOL', 'DOLISA', 'HEALTH', 'POLICE'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export type SupportModelFounded = {
  readonly type: 'SupportModelFounded';
  readonly data: {
    readonly modelId: string;
    /** Its agency code, e.g. `22-SUPPORT_MODEL-3`. */
    readonly modelCode: string;
    readonly name: string;
    readonly kind: SupportModelKind;
    readonly ownerType: OwnerType;
    /** The owner's agency code where it has one (a commune, the border guard), else null. */
    readonly ownerAgency: string | null;
    readonly communeCode: string;
    readonly provinceCode: string;
    readonly foundedOn: IsoDate;
  };
};

export const DEACTIVATION_REASONS = ['MERGED', 'NO_MEMBERS', 'NO_FUNDING', 'REORGANISED', 'OTHER'] as const;
export type DeactivationReason = (typeof DEACTIVATION_REASONS)[number];

export type SupportModelDeactivated = {
  readonly type: 'SupportModelDeactivated';
  readonly data: { readonly deactivatedOn: IsoDate; readonly reason: DeactivationReason };
};

export type SupportModelReactivated = { readonly type: 'SupportModelReactivated'; readonly data: { readonly reactivatedOn: IsoDate } };

/** What the model did over a span, as counts: meetings held, members, persons supported. */
export type SupportModelActivityLogged = {
  readonly type: 'SupportModelActivityLogged';
  readonly data: {
    readonly periodFrom: IsoDate;
    readonly periodTo: IsoDate;
    readonly meetings: number;
    readonly members: number;
    readonly personsSupported: number;
  };
};

export type SupportModelEvent = SupportModelFounded | SupportModelDeactivated | SupportModelReactivated | SupportModelActivityLogged;
export type SupportModelEventType = SupportModelEvent['type'];

export const SUPPORT_MODEL_EVENT_SCHEMA_VERSIONS: Readonly<Record<SupportModelEventType, number>> = {
  SupportModelFounded: 1,
  SupportModelDeactivated: 1,
  SupportModelReactivated: 1,
  SupportModelActivityLogged: 1,
};

/** Streams `SupportModel-<uuid>`, subjects `evt.campaigns.SupportModel.<EventType>`. */
export const SUPPORT_MODEL_AGGREGATE = 'SupportModel';

/** A model's agency code: `<province>-SUPPORT_MODEL-<n>`. */
export const SUPPORT_MODEL_CODE = /^(\d{2})-SUPPORT_MODEL-([0-9A-Za-z]{1,20})$/;
