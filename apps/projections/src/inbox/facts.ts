/**
 * What the indicators count, made from integration events: one row per thing that happened, with
 * codes, a date, a unit and an amount, never a person. Pure: `factsOf` maps one event to its facts
 * (and to what it voids or ends), with no framework and no I/O, so every mapping is unit-tested.
 */
export const FACT_KINDS = [
  'REHAB_ADMISSION',
  'REHAB_COMPLETED',
  'POST_REHAB_MANAGEMENT',
  'REFERRAL_ACCEPTED',
  'JOB_COUNSELLING_GIVEN',
  'VOCATIONAL_TRAINED',
  'JOB_PLACED',
  'ACTIVITY',
  'ACTIVITY_AT',
  'ARTICLE',
  'CAMPAIGN_TRAINING',
  'SURVEY_AWARE',
  'SURVEY_SAMPLE',
  'SUPPORT_MODEL',
  'ESTABLISHMENT',
  'CROSS_BORDER',
  'CROSS_BORDER_SUMMARY',
  'DISTRICT_PLAN',
  'STAFF_HEADCOUNT',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface Fact {
  readonly kind: FactKind;
  /** What the fact is about (case, activity, model, record id): voiding and ending act on it. */
  readonly subjectId: string;
  readonly provinceCode: string;
  /** Null when the event has no commune (a mass-media activity, a record without residence yet). */
  readonly communeCode: string | null;
  readonly onDate: string;
  /** A code that narrows the kind: the rehab form, the activity form, the survey group, the figure's category. */
  readonly category: string;
  /** A related id: the establishment an activity was held in. */
  readonly ref: string | null;
  readonly amount: number;
  /** Withdrawn or superseded: counts nowhere. */
  readonly voided: boolean;
  /** First day it no longer holds (an establishment closed); null while it holds. */
  readonly endedOn: string | null;
}

/** What one event does to the facts: new ones, and changes to those of an earlier subject. */
export interface FactChanges {
  readonly add: readonly Fact[];
  readonly voidSubjects: readonly string[];
  readonly endSubjects: readonly { readonly subjectId: string; readonly endedOn: string }[];
  /** A support model's later state: needs the model's unit from its founding fact. */
  readonly modelStates: readonly { readonly subjectId: string; readonly onDate: string; readonly active: boolean }[];
}

const NONE: FactChanges = { add: [], voidSubjects: [], endSubjects: [], modelStates: [] };

function fact(partial: Partial<Fact> & Pick<Fact, 'kind' | 'subjectId' | 'provinceCode' | 'onDate'>): Fact {
  return { communeCode: null, category: '', ref: null, amount: 1, voided: false, endedOn: null, ...partial };
}

type Data = Readonly<Record<string, unknown>>;
const str = (d: Data, key: string): string => String(d[key]);
const strOrNull = (d: Data, key: string): string | null => (typeof d[key] === 'string' ? (d[key] as string) : null);
const provinceOfAgency = (agency: string): string => agency.slice(0, 2);
const communeOfAgency = (agency: string): string | null => /^\d{2}-COMMUNE-(\d{5})$/.exec(agency)?.[1] ?? null;

/** The facts an integration event (`type` as published, e.g. `cases.RehabStarted.v1`) makes. */
export function factsOf(type: string, data: Data, context: { readonly caseCommune?: (caseId: string) => string | null } = {}): FactChanges {
  switch (type) {
    case 'cases.RehabStarted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'REHAB_ADMISSION',
            subjectId: str(data, 'caseId'),
            provinceCode: provinceOfAgency(str(data, 'recordedByAgency')),
            communeCode: str(data, 'communeCode'),
            onDate: str(data, 'startedOn'),
            category: str(data, 'form'),
          }),
        ],
      };
    case 'cases.RehabCompleted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'REHAB_COMPLETED',
            subjectId: str(data, 'caseId'),
            provinceCode: provinceOfAgency(str(data, 'recordedByAgency')),
            communeCode: str(data, 'communeCode'),
            onDate: str(data, 'completedOn'),
            category: str(data, 'form'),
          }),
        ],
      };
    case 'cases.PostRehabManagementStarted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'POST_REHAB_MANAGEMENT',
            subjectId: str(data, 'caseId'),
            provinceCode: provinceOfAgency(str(data, 'recordedByAgency')),
            communeCode: str(data, 'communeCode'),
            onDate: str(data, 'startedOn'),
          }),
        ],
      };
    case 'referrals.ReferralAccepted.v1': {
      const caseId = strOrNull(data, 'caseId');
      const commune = (caseId ? context.caseCommune?.(caseId) : null) ?? communeOfAgency(str(data, 'fromAgency'));
      return {
        ...NONE,
        add: [
          fact({
            kind: 'REFERRAL_ACCEPTED',
            subjectId: str(data, 'referralId'),
            provinceCode: provinceOfAgency(str(data, 'toAgency')),
            communeCode: commune,
            onDate: str(data, 'acceptedOn'),
            category: str(data, 'serviceType'),
          }),
        ],
      };
    }
    case 'employment.ReferralOutcomeReported.v1':
      if (str(data, 'serviceType') !== 'JOB_COUNSELLING' || str(data, 'outcome') === 'CLIENT_DISCONTINUED') return NONE;
      return {
        ...NONE,
        add: [
          fact({
            kind: 'JOB_COUNSELLING_GIVEN',
            subjectId: str(data, 'referralId'),
            provinceCode: str(data, 'provinceCode'),
            communeCode: strOrNull(data, 'communeCode'),
            onDate: str(data, 'reportedOn'),
            category: str(data, 'outcome'),
          }),
        ],
      };
    case 'employment.TrainingCompleted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'VOCATIONAL_TRAINED',
            subjectId: str(data, 'enrolmentId'),
            provinceCode: str(data, 'provinceCode'),
            communeCode: strOrNull(data, 'communeCode'),
            onDate: str(data, 'completedOn'),
            category: str(data, 'level'),
          }),
        ],
      };
    case 'employment.JobStarted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'JOB_PLACED',
            subjectId: str(data, 'placementId'),
            provinceCode: str(data, 'provinceCode'),
            communeCode: strOrNull(data, 'communeCode'),
            onDate: str(data, 'startOn'),
            category: str(data, 'contractType'),
          }),
        ],
      };
    case 'campaigns.ActivityRecorded.v1': {
      const subjectId = str(data, 'activityId');
      const provinceCode = str(data, 'provinceCode');
      const onDate = str(data, 'heldOn');
      const form = str(data, 'form');
      const communes = (data['communeCodes'] as readonly string[]) ?? [];
      const places = (data['establishmentIds'] as readonly string[]) ?? [];
      return {
        ...NONE,
        add: [
          ...(communes.length === 0 ? [fact({ kind: 'ACTIVITY', subjectId, provinceCode, onDate, category: form })] : []),
          ...communes.map((communeCode) => fact({ kind: 'ACTIVITY', subjectId, provinceCode, communeCode, onDate, category: form })),
          ...places.map((ref) => fact({ kind: 'ACTIVITY_AT', subjectId, provinceCode, onDate, category: form, ref })),
        ],
      };
    }
    case 'campaigns.ArticlePublished.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'ARTICLE',
            subjectId: str(data, 'activityId'),
            provinceCode: str(data, 'provinceCode'),
            onDate: str(data, 'publishedOn'),
            category: str(data, 'outletLevel'),
          }),
        ],
      };
    case 'campaigns.ActivityWithdrawn.v1':
      return { ...NONE, voidSubjects: [str(data, 'activityId')] };
    case 'campaigns.TrainingHeld.v1': {
      const participants = data['participants'] as readonly { group: string; count: number }[];
      return {
        ...NONE,
        add: participants.map((p) =>
          fact({
            kind: 'CAMPAIGN_TRAINING',
            subjectId: str(data, 'trainingId'),
            provinceCode: str(data, 'provinceCode'),
            onDate: str(data, 'heldOn'),
            category: p.group,
            amount: p.count,
          }),
        ),
      };
    }
    case 'campaigns.SurveyRecorded.v1': {
      const results = data['results'] as readonly { group: string; unitCode: string; sampleSize: number; aware: number }[];
      const common = { subjectId: str(data, 'surveyId'), provinceCode: str(data, 'provinceCode'), onDate: str(data, 'conductedTo') };
      return {
        ...NONE,
        add: results.flatMap((r) => {
          const communeCode = /^\d{5}$/.test(r.unitCode) ? r.unitCode : null;
          return [
            fact({ ...common, kind: 'SURVEY_AWARE', communeCode, category: r.group, amount: r.aware }),
            fact({ ...common, kind: 'SURVEY_SAMPLE', communeCode, category: r.group, amount: r.sampleSize }),
          ];
        }),
      };
    }
    case 'campaigns.SupportModelFounded.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'SUPPORT_MODEL',
            subjectId: str(data, 'modelId'),
            provinceCode: str(data, 'provinceCode'),
            communeCode: str(data, 'communeCode'),
            onDate: str(data, 'foundedOn'),
            category: str(data, 'kind'),
            amount: 1,
          }),
        ],
      };
    case 'campaigns.SupportModelDeactivated.v1':
      return { ...NONE, modelStates: [{ subjectId: str(data, 'modelId'), onDate: str(data, 'deactivatedOn'), active: false }] };
    case 'campaigns.SupportModelReactivated.v1':
      return { ...NONE, modelStates: [{ subjectId: str(data, 'modelId'), onDate: str(data, 'reactivatedOn'), active: true }] };
    case 'campaigns.EstablishmentRegistered.v1': {
      const kind = str(data, 'kind');
      const level = strOrNull(data, 'schoolLevel');
      return {
        ...NONE,
        add: [
          fact({
            kind: 'ESTABLISHMENT',
            subjectId: str(data, 'establishmentId'),
            provinceCode: str(data, 'provinceCode'),
            communeCode: str(data, 'communeCode'),
            onDate: str(data, 'openedOn'),
            category: level ? `${kind}:${level}` : kind,
          }),
        ],
      };
    }
    case 'campaigns.DistrictPlanAdopted.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'DISTRICT_PLAN',
            subjectId: str(data, 'planId'),
            provinceCode: str(data, 'provinceCode'),
            onDate: str(data, 'issuedOn'),
            category: str(data, 'districtName'),
            ref: str(data, 'parentPlanId'),
          }),
        ],
      };
    case 'campaigns.StaffHeadcountRecorded.v1':
      return {
        ...NONE,
        add: [
          fact({
            kind: 'STAFF_HEADCOUNT',
            subjectId: `${str(data, 'agencyCode')}:${str(data, 'group')}`,
            provinceCode: str(data, 'provinceCode'),
            onDate: str(data, 'asOf'),
            category: str(data, 'group'),
            amount: Number(data['headcount']),
          }),
        ],
      };
    case 'campaigns.EstablishmentClosed.v1':
      return { ...NONE, endSubjects: [{ subjectId: str(data, 'establishmentId'), endedOn: str(data, 'closedOn') }] };
    case 'cross-border.FiguresRecorded.v1': {
      const figures = data['figures'] as readonly { category: string; value: number }[];
      const summary = str(data, 'kind') === 'PERIOD_SUMMARY';
      const superseded = strOrNull(data, 'supersedesRecordId');
      return {
        ...NONE,
        voidSubjects: superseded ? [superseded] : [],
        add: figures.map((f) =>
          fact({
            kind: summary ? 'CROSS_BORDER_SUMMARY' : 'CROSS_BORDER',
            subjectId: str(data, 'recordId'),
            provinceCode: str(data, 'provinceCode'),
            onDate: str(data, 'periodFrom'),
            category: f.category,
            amount: f.value,
          }),
        ),
      };
    }
    default:
      return NONE;
  }
}

/** Applies changes to an in-memory list of facts: the reference the SQL store is tested against. */
export function applyFactChanges(facts: readonly Fact[], changes: FactChanges): Fact[] {
  const voided = new Set(changes.voidSubjects);
  const ended = new Map(changes.endSubjects.map((e) => [e.subjectId, e.endedOn]));
  const next = facts.map((f) =>
    voided.has(f.subjectId) ? { ...f, voided: true } : ended.has(f.subjectId) ? { ...f, endedOn: ended.get(f.subjectId) ?? null } : f,
  );
  for (const state of changes.modelStates) {
    const founding = next.find((f) => f.kind === 'SUPPORT_MODEL' && f.subjectId === state.subjectId);
    if (founding) next.push({ ...founding, onDate: state.onDate, amount: state.active ? 1 : 0 });
  }
  return [...next, ...changes.add];
}
