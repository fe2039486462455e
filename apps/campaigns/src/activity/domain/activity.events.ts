import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a communication activity (hoạt động truyền thông): who organised it, where
 * (communes), when, in what form, for whom and how many, and for which plan. Counts and codes
 * only: no participant is named, so nothing here is personal data. An article on a portal is an
 * activity of form ARTICLE that carries its register entry (outlet, title, URL).
 */

export const ACTIVITY_FORMS = ['MEETING', 'LOUDSPEAKER', 'LEAFLET', 'BANNER', 'PERFORMANCE', 'SCHOOL_SESSION', 'SOCIAL_MEDIA', 'ARTICLE'] as const;
export type ActivityForm = (typeof ACTIVITY_FORMS)[number];

/** Mass-media forms reach the province rather than a place: they need no commune and take the venue MEDIA. */
export const MEDIA_FORMS: readonly ActivityForm[] = ['SOCIAL_MEDIA', 'ARTICLE'];

export const VENUE_TYPES = ['RESIDENTIAL_AREA', 'INDUSTRIAL_ZONE', 'ECONOMIC_ZONE', 'SCHOOL', 'MARKET', 'BORDER_CROSSING', 'MEDIA'] as const;
export type VenueType = (typeof VENUE_TYPES)[number];

/** The venues that are registered establishments: an activity held there names it, of the same kind. */
export const ESTABLISHMENT_VENUES: readonly VenueType[] = ['INDUSTRIAL_ZONE', 'ECONOMIC_ZONE', 'SCHOOL'];

export const AUDIENCE_TYPES = ['GENERAL_PUBLIC', 'STUDENTS', 'WORKERS', 'OFFICIALS', 'FAMILIES', 'YOUTH', 'BORDER_RESIDENTS'] as const;
export type AudienceType = (typeof AUDIENCE_TYPES)[number];

export const CAMPAIGN_MONTHS = ['DRUG_PREVENTION_MONTH', 'HIV_AIDS_MONTH'] as const;
export type CampaignMonth = (typeof CAMPAIGN_MONTHS)[number];

/** The outlet's level: the "≥ 2 articles a week" target counts provincial and district portals and official sites. */
export const OUTLET_LEVELS = ['PROVINCIAL', 'DISTRICT', 'COMMUNE', 'NATIONAL'] as const;
export type OutletLevel = (typeof OUTLET_LEVELS)[number];

export interface ArticleEntry {
  readonly outlet: string;
  readonly outletLevel: OutletLevel;
  readonly title: string;
  readonly url: string;
}

export type ActivityRecorded = {
  readonly type: 'ActivityRecorded';
  readonly data: {
    readonly activityId: string;
    readonly provinceCode: string;
    /** The communes it took place in (codes in force); empty for a mass-media activity. */
    readonly communeCodes: readonly string[];
    /** The organising agency's code, e.g. `22-COMMUNE-06793`, `22-DOLISA`. */
    readonly organiser: string;
    readonly heldOn: IsoDate;
    readonly form: ActivityForm;
    readonly venueType: VenueType;
    readonly audienceType: AudienceType;
    readonly audienceCount: number;
    readonly campaignMonth: CampaignMonth | null;
    readonly planId: string | null;
    readonly article: ArticleEntry | null;
    /** The registered zones or schools it was held in (register: establishments), for the "zones reached" and "schools trained" targets. */
    readonly establishmentIds: readonly string[];
  };
};

export const WITHDRAWAL_REASONS = ['ENTERED_IN_ERROR', 'DUPLICATE', 'DID_NOT_TAKE_PLACE'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** A record withdrawn no longer counts toward any target; it stays in the log. */
export type ActivityWithdrawn = {
  readonly type: 'ActivityWithdrawn';
  readonly data: { readonly withdrawnOn: IsoDate; readonly reason: WithdrawalReason };
};

export type ActivityEvent = ActivityRecorded | ActivityWithdrawn;
export type ActivityEventType = ActivityEvent['type'];

export const ACTIVITY_EVENT_SCHEMA_VERSIONS: Readonly<Record<ActivityEventType, number>> = { ActivityRecorded: 1, ActivityWithdrawn: 1 };

/** Streams `Activity-<uuid>`, subjects `evt.campaigns.Activity.<EventType>`. */
export const ACTIVITY_AGGREGATE = 'Activity';
