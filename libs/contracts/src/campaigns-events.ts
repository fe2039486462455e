import { rules, validateShape, type FieldRule, type Validation } from './validate';

/**
 * Integration events the campaigns service publishes: what the projections service needs to
 * compute the prevention indicators of a plan (plan 146/KH-UBND: communes with an activity, zones
 * and schools reached, articles a week, awareness, support models). They are not its domain
 * events: ids, codes, dates and counts, never a person. `type` names the version; `version`
 * repeats it. A new shape is a new type (`….v2`), published next to the old one.
 */
export const CampaignsIntegrationEventTypes = {
  PlanAdoptedV1: 'campaigns.PlanAdopted.v1',
  PlanAmendedV1: 'campaigns.PlanAmended.v1',
  ActivityRecordedV1: 'campaigns.ActivityRecorded.v1',
  ActivityWithdrawnV1: 'campaigns.ActivityWithdrawn.v1',
  ArticlePublishedV1: 'campaigns.ArticlePublished.v1',
  SupportModelFoundedV1: 'campaigns.SupportModelFounded.v1',
  SupportModelDeactivatedV1: 'campaigns.SupportModelDeactivated.v1',
  SupportModelReactivatedV1: 'campaigns.SupportModelReactivated.v1',
  SupportModelActivityLoggedV1: 'campaigns.SupportModelActivityLogged.v1',
  SurveyRecordedV1: 'campaigns.SurveyRecorded.v1',
  TrainingHeldV1: 'campaigns.TrainingHeld.v1',
  EstablishmentRegisteredV1: 'campaigns.EstablishmentRegistered.v1',
  EstablishmentClosedV1: 'campaigns.EstablishmentClosed.v1',
  DistrictPlanAdoptedV1: 'campaigns.DistrictPlanAdopted.v1',
  StaffHeadcountRecordedV1: 'campaigns.StaffHeadcountRecorded.v1',
} as const;

export const CONTRACT_TARGET_KINDS = ['PERCENT', 'COUNT'] as const;
export const CONTRACT_TARGET_COMPARISONS = ['AT_LEAST', 'MORE_THAN'] as const;
export const CONTRACT_UNIT_LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE'] as const;
export const CONTRACT_TARGET_SPANS = ['PERIOD', 'WEEK'] as const;
export const CONTRACT_ACTIVITY_FORMS = ['MEETING', 'LOUDSPEAKER', 'LEAFLET', 'BANNER', 'PERFORMANCE', 'SCHOOL_SESSION', 'SOCIAL_MEDIA', 'ARTICLE'] as const;
export const CONTRACT_VENUE_TYPES = ['RESIDENTIAL_AREA', 'INDUSTRIAL_ZONE', 'ECONOMIC_ZONE', 'SCHOOL', 'MARKET', 'BORDER_CROSSING', 'MEDIA'] as const;
export const CONTRACT_AUDIENCE_TYPES = ['GENERAL_PUBLIC', 'STUDENTS', 'WORKERS', 'OFFICIALS', 'FAMILIES', 'YOUTH', 'BORDER_RESIDENTS'] as const;
export const CONTRACT_CAMPAIGN_MONTHS = ['DRUG_PREVENTION_MONTH', 'HIV_AIDS_MONTH'] as const;
export const CONTRACT_OUTLET_LEVELS = ['PROVINCIAL', 'DISTRICT', 'COMMUNE', 'NATIONAL'] as const;
export const CONTRACT_SUPPORT_MODEL_KINDS = ['VOLUNTEER_TEAM', 'COUNSELLING_POINT', 'AFTER_CARE_CLUB', 'SCHOOL_MODEL', 'MASS_MOBILISATION_MODEL'] as const;
export const CONTRACT_MODEL_OWNER_TYPES = [
  'COMMUNE',
  'WOMENS_UNION',
  'YOUTH_UNION',
  'FATHERLAND_FRONT',
  'BORDER_GUARD',
  'SCHOOL',
  'DOLISA',
  'HEALTH',
  'POLICE',
] as const;
export const CONTRACT_SURVEY_GROUPS = ['OFFICIALS', 'ADULTS', 'STUDENTS', 'REHAB_STAFF'] as const;
export const CONTRACT_TRAINEE_GROUPS = [
  'REHAB_STAFF',
  'AFTER_CARE_STAFF',
  'OFFICIALS',
  'COLLABORATORS',
  'TEACHERS',
  'VOLUNTEERS',
  'COMMUNITY_LEADERS',
] as const;
export const CONTRACT_ESTABLISHMENT_KINDS = ['INDUSTRIAL_ZONE', 'ECONOMIC_ZONE', 'SCHOOL'] as const;
export const CONTRACT_SCHOOL_LEVELS = ['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL'] as const;

/** One target of a plan, as data: the projections service computes it with no rule in code. */
export interface ContractPlanTargetV1 {
  readonly indicator: string;
  readonly numerator: string;
  readonly denominator: string | null;
  readonly kind: (typeof CONTRACT_TARGET_KINDS)[number];
  readonly comparison: (typeof CONTRACT_TARGET_COMPARISONS)[number];
  readonly value: number;
  readonly unitLevel: (typeof CONTRACT_UNIT_LEVELS)[number];
  readonly span: (typeof CONTRACT_TARGET_SPANS)[number];
  /** Integration event types that count toward it. */
  readonly countedEvents: readonly string[];
}

interface Base {
  /** The id of the domain event this one was made from: consumers dedupe on it. */
  readonly eventId: string;
  /** When the service recorded it (ISO-8601); the dates in the event are the real ones. */
  readonly occurredAt: string;
}

export interface PlanAdoptedV1 extends Base {
  readonly type: 'campaigns.PlanAdopted.v1';
  readonly version: 1;
  readonly planId: string;
  readonly provinceCode: string;
  readonly issuedBy: string;
  readonly number: string;
  readonly issuedOn: string;
  readonly leadAgency: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly parentPlanId: string | null;
  readonly targets: readonly ContractPlanTargetV1[];
}

/** A new version of a plan's targets, in force from `effectiveFrom` (until a later one takes effect). */
export interface PlanAmendedV1 extends Base {
  readonly type: 'campaigns.PlanAmended.v1';
  readonly version: 1;
  readonly planId: string;
  readonly amendmentNo: number;
  readonly number: string;
  readonly issuedOn: string;
  readonly effectiveFrom: string;
  readonly targets: readonly ContractPlanTargetV1[];
}

export interface ActivityRecordedV1 extends Base {
  readonly type: 'campaigns.ActivityRecorded.v1';
  readonly version: 1;
  readonly activityId: string;
  readonly provinceCode: string;
  /** Empty for a mass-media activity (province-wide). */
  readonly communeCodes: readonly string[];
  readonly organiser: string;
  readonly heldOn: string;
  readonly form: (typeof CONTRACT_ACTIVITY_FORMS)[number];
  readonly venueType: (typeof CONTRACT_VENUE_TYPES)[number];
  readonly audienceType: (typeof CONTRACT_AUDIENCE_TYPES)[number];
  readonly audienceCount: number;
  readonly campaignMonth: (typeof CONTRACT_CAMPAIGN_MONTHS)[number] | null;
  readonly planId: string | null;
  /** The registered zones or schools it was held in (`EstablishmentRegistered`). */
  readonly establishmentIds: readonly string[];
}

/** An activity recorded in error: it no longer counts toward any target. */
export interface ActivityWithdrawnV1 extends Base {
  readonly type: 'campaigns.ActivityWithdrawn.v1';
  readonly version: 1;
  readonly activityId: string;
  readonly withdrawnOn: string;
}

/** An article of the register (an activity of form ARTICLE), for "≥ 2 articles a week". */
export interface ArticlePublishedV1 extends Base {
  readonly type: 'campaigns.ArticlePublished.v1';
  readonly version: 1;
  readonly activityId: string;
  readonly provinceCode: string;
  readonly publishedOn: string;
  readonly outlet: string;
  readonly outletLevel: (typeof CONTRACT_OUTLET_LEVELS)[number];
  readonly url: string;
  readonly planId: string | null;
}

export interface SupportModelFoundedV1 extends Base {
  readonly type: 'campaigns.SupportModelFounded.v1';
  readonly version: 1;
  readonly modelId: string;
  /** The model's agency code (`22-SUPPORT_MODEL-3`): a receiver of SUPPORT_MODEL referrals. */
  readonly modelCode: string;
  readonly kind: (typeof CONTRACT_SUPPORT_MODEL_KINDS)[number];
  readonly ownerType: (typeof CONTRACT_MODEL_OWNER_TYPES)[number];
  readonly ownerAgency: string | null;
  readonly communeCode: string;
  readonly provinceCode: string;
  readonly foundedOn: string;
}

export interface SupportModelDeactivatedV1 extends Base {
  readonly type: 'campaigns.SupportModelDeactivated.v1';
  readonly version: 1;
  readonly modelId: string;
  readonly modelCode: string;
  readonly deactivatedOn: string;
}

export interface SupportModelReactivatedV1 extends Base {
  readonly type: 'campaigns.SupportModelReactivated.v1';
  readonly version: 1;
  readonly modelId: string;
  readonly modelCode: string;
  readonly reactivatedOn: string;
}

export interface SupportModelActivityLoggedV1 extends Base {
  readonly type: 'campaigns.SupportModelActivityLogged.v1';
  readonly version: 1;
  readonly modelId: string;
  readonly modelCode: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly meetings: number;
  readonly members: number;
  readonly personsSupported: number;
}

export interface ContractSurveyResultV1 {
  readonly group: (typeof CONTRACT_SURVEY_GROUPS)[number];
  readonly unitCode: string;
  readonly sampleSize: number;
  readonly aware: number;
}

export interface SurveyRecordedV1 extends Base {
  readonly type: 'campaigns.SurveyRecorded.v1';
  readonly version: 1;
  readonly surveyId: string;
  readonly provinceCode: string;
  readonly conductedFrom: string;
  readonly conductedTo: string;
  readonly planId: string | null;
  readonly results: readonly ContractSurveyResultV1[];
}

/** A training of officials, staff, collaborators, teachers or volunteers: counts by group. */
export interface TrainingHeldV1 extends Base {
  readonly type: 'campaigns.TrainingHeld.v1';
  readonly version: 1;
  readonly trainingId: string;
  readonly provinceCode: string;
  readonly organiser: string;
  readonly heldOn: string;
  readonly participants: readonly { readonly group: (typeof CONTRACT_TRAINEE_GROUPS)[number]; readonly count: number }[];
  readonly planId: string | null;
}

/** A zone or school of the register the targets count over (the denominators). */
export interface EstablishmentRegisteredV1 extends Base {
  readonly type: 'campaigns.EstablishmentRegistered.v1';
  readonly version: 1;
  readonly establishmentId: string;
  readonly kind: (typeof CONTRACT_ESTABLISHMENT_KINDS)[number];
  readonly schoolLevel: (typeof CONTRACT_SCHOOL_LEVELS)[number] | null;
  readonly communeCode: string;
  readonly provinceCode: string;
  readonly openedOn: string;
}

export interface EstablishmentClosedV1 extends Base {
  readonly type: 'campaigns.EstablishmentClosed.v1';
  readonly version: 1;
  readonly establishmentId: string;
  readonly closedOn: string;
}

/**
 * A district's plan under a provincial plan (plans issued before 2025-07-01, when districts were
 * abolished), sent besides its `PlanAdopted.v1`: what "100% of districts make a plan" counts. The
 * district is named as the unit register names it (`formerDistrictName` of its former communes in
 * libs/jurisdiction), which also gives the denominator: the province's districts on `issuedOn`.
 */
export interface DistrictPlanAdoptedV1 extends Base {
  readonly type: 'campaigns.DistrictPlanAdopted.v1';
  readonly version: 1;
  readonly planId: string;
  readonly parentPlanId: string;
  readonly provinceCode: string;
  readonly districtName: string;
  readonly issuedOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
}

/**
 * The staff register (the denominator of "100% of rehab and after-care staff trained"): how many
 * staff of one group an agency has from `asOf`, until a later count. Counts only, no person.
 */
export interface StaffHeadcountRecordedV1 extends Base {
  readonly type: 'campaigns.StaffHeadcountRecorded.v1';
  readonly version: 1;
  readonly rosterId: string;
  readonly provinceCode: string;
  readonly agencyCode: string;
  readonly group: (typeof CONTRACT_TRAINEE_GROUPS)[number];
  readonly headcount: number;
  readonly asOf: string;
}

export type CampaignsIntegrationEvent =
  | DistrictPlanAdoptedV1
  | StaffHeadcountRecordedV1
  | PlanAdoptedV1
  | PlanAmendedV1
  | ActivityRecordedV1
  | ActivityWithdrawnV1
  | ArticlePublishedV1
  | SupportModelFoundedV1
  | SupportModelDeactivatedV1
  | SupportModelReactivatedV1
  | SupportModelActivityLoggedV1
  | SurveyRecordedV1
  | TrainingHeldV1
  | EstablishmentRegisteredV1
  | EstablishmentClosedV1;

const text =
  (max: number): FieldRule =>
  (v) =>
    typeof v === 'string' && v.trim().length > 0 && v.length <= max ? undefined : `must be text of 1 to ${max} characters`;
const count: FieldRule = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'must be a whole number, 0 or more');
const positive: FieldRule = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'must be a number above 0');
const unitCode: FieldRule = (v) => (typeof v === 'string' && /^(\d{2}|\d{5})$/.test(v) ? undefined : 'must be a province or commune code');
const url: FieldRule = (v) => (typeof v === 'string' && /^https?:\/\/\S{1,490}$/.test(v) ? undefined : 'must be an http(s) URL');
const integrationType: FieldRule = (v) => (typeof v === 'string' && /^[a-z-]+\.[A-Za-z]+\.v\d+$/.test(v) ? undefined : 'must be an integration event type');

/** Every item checked by `item`; problems are reported with the item's index. */
const arrayOf =
  (item: FieldRule, min = 0): FieldRule =>
  (v) => {
    if (!Array.isArray(v)) return 'must be an array';
    if (v.length < min) return `must hold at least ${min}`;
    for (const [i, element] of v.entries()) {
      const problem = item(element);
      if (problem) return `[${i}] ${problem}`;
    }
    return undefined;
  };
const shape =
  (fields: Readonly<Record<string, FieldRule>>): FieldRule =>
  (v) => {
    const result = validateShape<unknown>(v, fields);
    return result.ok ? undefined : result.errors.join(', ');
  };

const target = shape({
  indicator: text(64),
  numerator: text(300),
  denominator: rules.nullable(text(300)),
  kind: rules.oneOf(CONTRACT_TARGET_KINDS),
  comparison: rules.oneOf(CONTRACT_TARGET_COMPARISONS),
  value: positive,
  unitLevel: rules.oneOf(CONTRACT_UNIT_LEVELS),
  span: rules.oneOf(CONTRACT_TARGET_SPANS),
  countedEvents: arrayOf(integrationType, 1),
});

const base = (type: string) => ({ type: rules.literal(type), version: rules.literal(1), eventId: rules.uuid, occurredAt: rules.instant });

const T = CampaignsIntegrationEventTypes;
const shapes: Readonly<Record<CampaignsIntegrationEvent['type'], Readonly<Record<string, FieldRule>>>> = {
  [T.PlanAdoptedV1]: {
    ...base(T.PlanAdoptedV1),
    planId: rules.uuid,
    provinceCode: rules.digits(2),
    issuedBy: rules.agencyCode,
    number: text(64),
    issuedOn: rules.localDate,
    leadAgency: rules.agencyCode,
    periodFrom: rules.localDate,
    periodTo: rules.localDate,
    parentPlanId: rules.nullable(rules.uuid),
    targets: arrayOf(target, 1),
  },
  [T.PlanAmendedV1]: {
    ...base(T.PlanAmendedV1),
    planId: rules.uuid,
    amendmentNo: count,
    number: text(64),
    issuedOn: rules.localDate,
    effectiveFrom: rules.localDate,
    targets: arrayOf(target, 1),
  },
  [T.ActivityRecordedV1]: {
    ...base(T.ActivityRecordedV1),
    activityId: rules.uuid,
    provinceCode: rules.digits(2),
    communeCodes: arrayOf(rules.digits(5)),
    organiser: rules.agencyCode,
    heldOn: rules.localDate,
    form: rules.oneOf(CONTRACT_ACTIVITY_FORMS),
    venueType: rules.oneOf(CONTRACT_VENUE_TYPES),
    audienceType: rules.oneOf(CONTRACT_AUDIENCE_TYPES),
    audienceCount: count,
    campaignMonth: rules.nullable(rules.oneOf(CONTRACT_CAMPAIGN_MONTHS)),
    planId: rules.nullable(rules.uuid),
    establishmentIds: arrayOf(rules.uuid),
  },
  [T.ActivityWithdrawnV1]: { ...base(T.ActivityWithdrawnV1), activityId: rules.uuid, withdrawnOn: rules.localDate },
  [T.ArticlePublishedV1]: {
    ...base(T.ArticlePublishedV1),
    activityId: rules.uuid,
    provinceCode: rules.digits(2),
    publishedOn: rules.localDate,
    outlet: text(200),
    outletLevel: rules.oneOf(CONTRACT_OUTLET_LEVELS),
    url,
    planId: rules.nullable(rules.uuid),
  },
  [T.SupportModelFoundedV1]: {
    ...base(T.SupportModelFoundedV1),
    modelId: rules.uuid,
    modelCode: rules.agencyCode,
    kind: rules.oneOf(CONTRACT_SUPPORT_MODEL_KINDS),
    ownerType: rules.oneOf(CONTRACT_MODEL_OWNER_TYPES),
    ownerAgency: rules.nullable(rules.agencyCode),
    communeCode: rules.digits(5),
    provinceCode: rules.digits(2),
    foundedOn: rules.localDate,
  },
  [T.SupportModelDeactivatedV1]: { ...base(T.SupportModelDeactivatedV1), modelId: rules.uuid, modelCode: rules.agencyCode, deactivatedOn: rules.localDate },
  [T.SupportModelReactivatedV1]: { ...base(T.SupportModelReactivatedV1), modelId: rules.uuid, modelCode: rules.agencyCode, reactivatedOn: rules.localDate },
  [T.SupportModelActivityLoggedV1]: {
    ...base(T.SupportModelActivityLoggedV1),
    modelId: rules.uuid,
    modelCode: rules.agencyCode,
    periodFrom: rules.localDate,
    periodTo: rules.localDate,
    meetings: count,
    members: count,
    personsSupported: count,
  },
  [T.SurveyRecordedV1]: {
    ...base(T.SurveyRecordedV1),
    surveyId: rules.uuid,
    provinceCode: rules.digits(2),
    conductedFrom: rules.localDate,
    conductedTo: rules.localDate,
    planId: rules.nullable(rules.uuid),
    results: arrayOf(shape({ group: rules.oneOf(CONTRACT_SURVEY_GROUPS), unitCode, sampleSize: positive, aware: count }), 1),
  },
  [T.TrainingHeldV1]: {
    ...base(T.TrainingHeldV1),
    trainingId: rules.uuid,
    provinceCode: rules.digits(2),
    organiser: rules.agencyCode,
    heldOn: rules.localDate,
    participants: arrayOf(shape({ group: rules.oneOf(CONTRACT_TRAINEE_GROUPS), count: positive }), 1),
    planId: rules.nullable(rules.uuid),
  },
  [T.EstablishmentRegisteredV1]: {
    ...base(T.EstablishmentRegisteredV1),
    establishmentId: rules.uuid,
    kind: rules.oneOf(CONTRACT_ESTABLISHMENT_KINDS),
    schoolLevel: rules.nullable(rules.oneOf(CONTRACT_SCHOOL_LEVELS)),
    communeCode: rules.digits(5),
    provinceCode: rules.digits(2),
    openedOn: rules.localDate,
  },
  [T.EstablishmentClosedV1]: { ...base(T.EstablishmentClosedV1), establishmentId: rules.uuid, closedOn: rules.localDate },
  [T.DistrictPlanAdoptedV1]: {
    ...base(T.DistrictPlanAdoptedV1),
    planId: rules.uuid,
    parentPlanId: rules.uuid,
    provinceCode: rules.digits(2),
    districtName: text(100),
    issuedOn: rules.localDate,
    periodFrom: rules.localDate,
    periodTo: rules.localDate,
  },
  [T.StaffHeadcountRecordedV1]: {
    ...base(T.StaffHeadcountRecordedV1),
    rosterId: rules.uuid,
    provinceCode: rules.digits(2),
    agencyCode: rules.agencyCode,
    group: rules.oneOf(CONTRACT_TRAINEE_GROUPS),
    headcount: count,
    asOf: rules.localDate,
  },
};

/** Any campaigns integration event, chosen by its `type`. */
export function validateCampaignsIntegrationEvent(value: unknown): Validation<CampaignsIntegrationEvent> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const fields = typeof type === 'string' && Object.hasOwn(shapes, type) ? shapes[type as CampaignsIntegrationEvent['type']] : undefined;
  if (fields === undefined) return { ok: false, errors: ['type: is not a known campaigns integration event'] };
  return validateShape<CampaignsIntegrationEvent>(value, fields);
}
