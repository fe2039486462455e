/**
 * Demo data for the embedded default (`npm start`): Quảng Ninh's plan 146/KH-UBND of 2022-05-20
 * with its targets as data, a year (2022) of communication activities across the communes of the
 * province (eight communes hold none, so "100% of communes" is not met), about two articles a week
 * on the provincial portal from the plan's adoption (a few weeks with one), the 25 volunteer
 * teams, 06 counselling points and 09 after-care clubs (22-SUPPORT_MODEL-3 among them: the club the
 * referrals demo sends persons to; one team stopped in September), a Lạng Sơn border-guard
 * mass-mobilisation model, 11 district plans under plan 146 (of 13 districts), the staff register of
 * rehab and after-care staff, and the November 2022 awareness survey.
 *
 * Everything goes through the service's own HTTP API with dev tokens of the agency that would do
 * it, each POST under a fixed Idempotency-Key, so a load cut short is simply run again. The marker
 * is the survey, written last: when it can be read, the demo is not loaded again.
 */
import { signDevToken } from '@haidang/auth';
import { listCommunes } from '@haidang/jurisdiction';
import { deterministicUuid, eachLimited, type DemoContext, type DemoResult } from '@haidang/service-kit';
import { establishment } from '../establishment/establishment.aggregate';
import { formerDistrictsOf, planIdFor } from '../plan/plan-commands';
import { survey } from '../survey/survey.aggregate';

const PROVINCE = '22';
const PPC = '22-PPC';
const DOLISA = '22-DOLISA';
const CLUB = '22-SUPPORT_MODEL-3';
const PLAN_KEY = 'demo-plan-146-2022';
const SURVEY_KEY = 'demo-survey-2022-11';
/** District plans made under plan 146 in the demo, of the province's 13 districts in 2022. */
const DISTRICTS_WITH_PLAN = 11;
/** The staff register of 2022: rehab and after-care staff by agency (counts only). */
const STAFF_ROSTERS = [
  { agencyCode: '22-REHAB_FACILITY-1', group: 'REHAB_STAFF', headcount: 52, asOf: '2022-01-01' },
  { agencyCode: '22-COMMUNE-06793', group: 'AFTER_CARE_STAFF', headcount: 12, asOf: '2022-01-01' },
  { agencyCode: '22-COMMUNE-06685', group: 'AFTER_CARE_STAFF', headcount: 14, asOf: '2022-01-01' },
  { agencyCode: '22-COMMUNE-06811', group: 'AFTER_CARE_STAFF', headcount: 12, asOf: '2022-01-01' },
] as const;
/** Communes without any activity in 2022, so the indicator shows a gap. */
const COMMUNES_WITHOUT_ACTIVITY = 8;

type Target = Record<string, unknown>;
const percent = (
  indicator: string,
  value: number,
  numerator: string,
  denominator: string,
  unitLevel: string,
  countedEvents: string[],
  comparison = 'AT_LEAST',
): Target => ({
  indicator,
  numerator,
  denominator,
  kind: 'PERCENT',
  comparison,
  value,
  unitLevel,
  span: 'PERIOD',
  countedEvents,
});
const count = (indicator: string, value: number, numerator: string, countedEvents: string[], span = 'PERIOD'): Target => ({
  indicator,
  numerator,
  denominator: null,
  kind: 'COUNT',
  comparison: 'AT_LEAST',
  value,
  unitLevel: 'PROVINCE',
  span,
  countedEvents,
});

const ACTIVITY_EVENTS = ['campaigns.ActivityRecorded.v1', 'campaigns.ActivityWithdrawn.v1'];
const MODEL_EVENTS = ['campaigns.SupportModelFounded.v1', 'campaigns.SupportModelDeactivated.v1', 'campaigns.SupportModelReactivated.v1'];

/** Plan 146/KH-UBND's targets (source article), each with what counts toward it. */
export const PLAN_146_TARGETS: readonly Target[] = [
  percent(
    'DISTRICTS_WITH_PLAN',
    100,
    'districts, towns and cities that made their plan for rehab, counselling, vocational training and jobs in 2022 (plans whose parent is this one)',
    'districts, towns and cities of the province in 2022 (the unit register’s former districts)',
    'DISTRICT',
    ['campaigns.DistrictPlanAdopted.v1'],
  ),
  percent(
    'COMMUNES_WITH_ACTIVITY',
    100,
    'communes that held at least one communication activity on drug prevention in the period (not withdrawn)',
    'communes of the province',
    'COMMUNE',
    ACTIVITY_EVENTS,
  ),
  percent(
    'ZONES_REACHED',
    50,
    'industrial and economic zones where an activity was held (venue INDUSTRIAL_ZONE or ECONOMIC_ZONE)',
    'industrial and economic zones of the province (register)',
    'PROVINCE',
    ACTIVITY_EVENTS,
  ),
  percent(
    'SCHOOLS_TRAINED',
    50,
    'upper-secondary schools and vocational institutions that held a school session on drug-prevention skills',
    'upper-secondary schools and vocational institutions of the province (register)',
    'PROVINCE',
    ACTIVITY_EVENTS,
  ),
  count(
    'ARTICLES_PER_WEEK',
    2,
    'articles or news items on drug prevention on provincial or district papers and portals, each week',
    ['campaigns.ArticlePublished.v1', 'campaigns.ActivityWithdrawn.v1'],
    'WEEK',
  ),
  percent(
    'OFFICIALS_AWARE',
    60,
    'officials in charge of social-evils prevention surveyed who understand drug addiction, prevention and treatment',
    'officials surveyed',
    'PROVINCE',
    ['campaigns.SurveyRecorded.v1'],
  ),
  percent(
    'ADULTS_AWARE',
    50,
    'adults surveyed who understand drug addiction, prevention and treatment',
    'adults surveyed',
    'PROVINCE',
    ['campaigns.SurveyRecorded.v1'],
    'MORE_THAN',
  ),
  percent(
    'REHAB_STAFF_TRAINED',
    100,
    'rehab and after-care staff trained or updated in the year',
    'rehab and after-care staff of the province (the staff register)',
    'PROVINCE',
    ['campaigns.TrainingHeld.v1', 'campaigns.StaffHeadcountRecorded.v1'],
  ),
  count('REHAB_ADMISSIONS', 900, 'rehab admissions (lượt người) started in the period', ['cases.RehabStarted.v1']),
  // Of the 900: 750 at a facility, 150 at home or in the community; then training, jobs and after-care (plan 146, computed by projections).
  count('REHAB_ADMISSIONS_FACILITY', 750, 'rehab admissions at a facility (voluntary or compulsory) started in the period', ['cases.RehabStarted.v1']),
  count('REHAB_ADMISSIONS_COMMUNITY', 150, 'rehab admissions at home or in the community started in the period', ['cases.RehabStarted.v1']),
  count('VOCATIONAL_TRAINED', 360, 'persons after rehab who completed vocational training in the period', ['employment.TrainingCompleted.v1']),
  count('JOBS_PLACED', 420, 'persons after rehab placed in a job in the period', ['employment.JobStarted.v1']),
  percent(
    'POST_REHAB_MANAGED',
    100,
    'persons who completed rehab put under post-rehab management at their place of residence',
    'persons who completed rehab in the period',
    'PROVINCE',
    ['cases.PostRehabManagementStarted.v1', 'cases.RehabCompleted.v1'],
  ),
  count('VOLUNTEER_TEAMS', 25, 'commune volunteer social-work teams active', MODEL_EVENTS),
  count('COUNSELLING_POINTS', 6, 'counselling points active', MODEL_EVENTS),
  count('AFTER_CARE_CLUBS', 9, 'after-care clubs active', MODEL_EVENTS),
];

export const PLAN_146 = {
  issuedBy: PPC,
  number: '146/KH-UBND',
  issuedOn: '2022-05-20',
  title: 'Thực hiện công tác cai nghiện ma túy và quản lý sau cai nghiện ma túy trên địa bàn tỉnh Quảng Ninh năm 2022',
  leadAgency: DOLISA,
  periodFrom: '2022-01-01',
  periodTo: '2022-12-31',
  targets: PLAN_146_TARGETS,
};

interface Api {
  post(agency: string, units: readonly string[], path: string, key: string, body: unknown, ifMatch?: string): Promise<{ id: string; version: number }>;
  exists(agency: string, units: readonly string[], path: string): Promise<boolean>;
}

function api(baseUrl: string): Api {
  const tokens = new Map<string, Promise<string>>();
  const token = (agency: string, units: readonly string[]) => {
    let t = tokens.get(agency);
    if (t === undefined) {
      t = signDevToken({ agency, roles: ['caseworker'], units: [...units] });
      tokens.set(agency, t);
    }
    return t;
  };
  return {
    async post(agency, units, path, key, body, ifMatch) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${await token(agency, units)}`,
        'idempotency-key': key,
      };
      if (ifMatch !== undefined) headers['if-match'] = ifMatch;
      const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`campaigns demo: ${key} answered ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { id: string; version: number };
    },
    async exists(agency, units, path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${await token(agency, units)}` } });
      await response.arrayBuffer();
      return response.status === 200;
    },
  };
}

const communeAgency = (code: string) => `${PROVINCE}-COMMUNE-${code}`;
const pad = (n: number) => String(n).padStart(2, '0');
const FORMS_BY_MONTH = [
  'MEETING',
  'LOUDSPEAKER',
  'LEAFLET',
  'BANNER',
  'MEETING',
  'MEETING',
  'LOUDSPEAKER',
  'SOCIAL_MEDIA',
  'SCHOOL_SESSION',
  'MEETING',
  'BANNER',
  'PERFORMANCE',
];

/** A commune's activities in 2022: one in the drug-prevention month for all, one more in another month, monthly for Cẩm Phả. */
function communeActivities(code: string, index: number): Array<{ key: string; body: Record<string, unknown> }> {
  const months = code === '06793' ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [6, 1 + ((index * 5) % 12)];
  return [...new Set(months)].map((month) => {
    const form = month === 6 ? 'MEETING' : (FORMS_BY_MONTH[month - 1] as string);
    const day = month === 6 ? 26 : month === 11 ? 20 : 10 + (index % 15);
    const venueType = form === 'SOCIAL_MEDIA' ? 'MEDIA' : form === 'SCHOOL_SESSION' ? 'SCHOOL' : index % 11 === 5 ? 'MARKET' : 'RESIDENTIAL_AREA';
    const audienceType = form === 'SCHOOL_SESSION' ? 'STUDENTS' : 'GENERAL_PUBLIC';
    return {
      key: `demo-act-${code}-2022-${pad(month)}`,
      body: {
        communeCodes: [code],
        heldOn: `2022-${pad(month)}-${pad(day)}`,
        form,
        venueType,
        audienceType,
        audienceCount: form === 'SOCIAL_MEDIA' ? 0 : 40 + ((index * 37 + month * 11) % 260),
        campaignMonth: month === 6 ? 'DRUG_PREVENTION_MONTH' : month === 11 ? 'HIV_AIDS_MONTH' : null,
        ...(form === 'SCHOOL_SESSION' ? { establishmentIds: [establishmentIdOf(schoolKey(code))] } : {}),
      },
    };
  });
}

/** The register's keys and ids: establishments are registered by the department under fixed keys. */
const schoolKey = (commune: string) => `demo-school-${commune}`;
const establishmentIdOf = (key: string) => deterministicUuid(establishment.idNamespace, DOLISA, key);

/** Industrial and economic zones of Quảng Ninh (demo names and communes); six of the eleven are reached in 2022. */
const ZONES: ReadonlyArray<{ key: string; kind: 'INDUSTRIAL_ZONE' | 'ECONOMIC_ZONE'; name: string; commune: string; reachedOn?: string }> = [
  { key: 'demo-zone-cai-lan', kind: 'INDUSTRIAL_ZONE', name: 'KCN Cái Lân', commune: '06673', reachedOn: '2022-03-17' },
  { key: 'demo-zone-viet-hung', kind: 'INDUSTRIAL_ZONE', name: 'KCN Việt Hưng', commune: '06661', reachedOn: '2022-06-16' },
  { key: 'demo-zone-hai-yen', kind: 'INDUSTRIAL_ZONE', name: 'KCN Hải Yên', commune: '06712', reachedOn: '2022-08-18' },
  { key: 'demo-zone-dong-mai', kind: 'INDUSTRIAL_ZONE', name: 'KCN Đông Mai', commune: '07135' },
  { key: 'demo-zone-song-khoai', kind: 'INDUSTRIAL_ZONE', name: 'KCN Sông Khoai', commune: '07132', reachedOn: '2022-10-13' },
  { key: 'demo-zone-texhong', kind: 'INDUSTRIAL_ZONE', name: 'KCN Texhong Hải Hà', commune: '06922' },
  { key: 'demo-zone-bac-tien-phong', kind: 'INDUSTRIAL_ZONE', name: 'KCN Bắc Tiền Phong', commune: '07132', reachedOn: '2022-11-24' },
  { key: 'demo-zone-dam-nha-mac', kind: 'INDUSTRIAL_ZONE', name: 'KCN Đầm Nhà Mạc', commune: '07147' },
  { key: 'demo-zone-van-don', kind: 'ECONOMIC_ZONE', name: 'Khu kinh tế Vân Đồn', commune: '06994', reachedOn: '2022-09-15' },
  { key: 'demo-zone-mong-cai', kind: 'ECONOMIC_ZONE', name: 'Khu kinh tế cửa khẩu Móng Cái', commune: '06712' },
  { key: 'demo-zone-quang-yen', kind: 'ECONOMIC_ZONE', name: 'Khu kinh tế ven biển Quảng Yên', commune: '07132' },
];

/** Two articles a week on the provincial portal from the week of the plan, one in every fifth week. */
function articles(): Array<{ key: string; body: Record<string, unknown> }> {
  const result: Array<{ key: string; body: Record<string, unknown> }> = [];
  const first = Date.UTC(2022, 4, 23); // Monday 2022-05-23
  for (let week = 0; week < 32; week++) {
    for (const [n, offset] of (week % 5 === 4 ? [1] : [1, 4]).entries()) {
      const day = new Date(first + (week * 7 + offset) * 86_400_000).toISOString().slice(0, 10);
      result.push({
        key: `demo-article-2022-w${pad(week)}-${n}`,
        body: {
          communeCodes: [],
          heldOn: day,
          form: 'ARTICLE',
          venueType: 'MEDIA',
          audienceType: 'GENERAL_PUBLIC',
          audienceCount: 0,
          campaignMonth: day >= '2022-06-01' && day <= '2022-06-30' ? 'DRUG_PREVENTION_MONTH' : null,
          article: {
            outlet: n === 0 ? 'Cổng thông tin điện tử tỉnh Quảng Ninh' : 'Báo Quảng Ninh',
            outletLevel: 'PROVINCIAL',
            title: `Phòng, chống ma túy: tin tuần ${week + 1} năm 2022 (${n + 1})`,
            url: `https://${n === 0 ? 'www.quangninh.gov.vn' : 'baoquangninh.vn'}/demo/2022/phong-chong-ma-tuy-${week + 1}-${n + 1}`,
          },
        },
      });
    }
  }
  return result;
}

interface DemoModel {
  readonly n: number;
  readonly kind: 'AFTER_CARE_CLUB' | 'COUNSELLING_POINT' | 'VOLUNTEER_TEAM';
  readonly commune: string;
}

/** Models 1–9 after-care clubs (3: Phường Cẩm Phả), 10–15 counselling points, 16–40 volunteer teams. */
function models(communes: readonly string[]): DemoModel[] {
  const pick = (i: number) => communes[(i * 7) % communes.length] as string;
  return Array.from({ length: 40 }, (_, i) => {
    const n = i + 1;
    const kind = n <= 9 ? 'AFTER_CARE_CLUB' : n <= 15 ? 'COUNSELLING_POINT' : 'VOLUNTEER_TEAM';
    return { n, kind, commune: n === 3 ? '06793' : pick(i) };
  });
}
const KIND_NAME = {
  AFTER_CARE_CLUB: 'CLB hỗ trợ người sau cai nghiện',
  COUNSELLING_POINT: 'Điểm tư vấn cai nghiện',
  VOLUNTEER_TEAM: 'Đội công tác xã hội tình nguyện',
};

export interface CampaignsDemoFacts {
  readonly planId: string;
  /** Agency codes of the support models, by kind. */
  readonly supportModels: Readonly<Record<string, readonly string[]>>;
}

export async function loadCampaignsDemo(baseUrl: string): Promise<{ loaded: boolean; planId: string; activities: number; articles: number; models: number }> {
  const client = api(baseUrl);
  const planId = planIdFor(PPC, PLAN_KEY);
  const surveyId = deterministicUuid(survey.idNamespace, DOLISA, SURVEY_KEY);
  const communes = listCommunes(PROVINCE)
    .map((u) => u.code)
    .sort();
  // The last communes in code order, but none the department's zone visits reach.
  const visited = new Set(ZONES.filter((z) => z.reachedOn !== undefined).map((z) => z.commune));
  const without = new Set(communes.filter((c) => !visited.has(c)).slice(-COMMUNES_WITHOUT_ACTIVITY));
  const withActivity = communes.filter((c) => !without.has(c));
  const perCommune = withActivity.flatMap((code, i) => communeActivities(code, i).map((a) => ({ ...a, code })));
  const news = articles();
  const demoModels = models(communes);
  const summary = {
    planId,
    activities: perCommune.length + 2 + ZONES.filter((z) => z.reachedOn !== undefined).length,
    articles: news.length,
    models: demoModels.length + 1,
  };
  if (await client.exists(DOLISA, [PROVINCE], `/api/v1/surveys/${surveyId}`)) return { loaded: false, ...summary };

  await client.post(PPC, [PROVINCE], '/api/v1/plans', PLAN_KEY, PLAN_146);
  // The registers the targets count over: the zones, and an upper-secondary school in each commune
  // (only those with a school session in 2022 count toward "50% of schools trained").
  await eachLimited(ZONES, 4, (z) =>
    client.post(DOLISA, [PROVINCE], '/api/v1/establishments', z.key, { kind: z.kind, name: z.name, communeCode: z.commune, openedOn: '2010-01-01' }),
  );
  await eachLimited(communes, 4, (code) =>
    client.post(DOLISA, [PROVINCE], '/api/v1/establishments', schoolKey(code), {
      kind: 'SCHOOL',
      schoolLevel: 'UPPER_SECONDARY',
      name: `Trường THPT ${code}`,
      communeCode: code,
      openedOn: '1995-09-05',
    }),
  );
  await eachLimited(perCommune, 4, ({ key, body, code }) => client.post(communeAgency(code), [code], '/api/v1/activities', key, { ...body, planId }));
  // The department's own: performances by the provincial art troupe, and visits to the zones it reached.
  const department = [
    {
      key: 'demo-act-dolisa-troupe-06',
      body: {
        communeCodes: ['06685'],
        heldOn: '2022-06-25',
        form: 'PERFORMANCE',
        venueType: 'RESIDENTIAL_AREA',
        audienceType: 'GENERAL_PUBLIC',
        audienceCount: 800,
        campaignMonth: 'DRUG_PREVENTION_MONTH',
      },
    },
    {
      key: 'demo-act-dolisa-troupe-11',
      body: {
        communeCodes: ['06793'],
        heldOn: '2022-11-25',
        form: 'PERFORMANCE',
        venueType: 'RESIDENTIAL_AREA',
        audienceType: 'GENERAL_PUBLIC',
        audienceCount: 650,
        campaignMonth: 'HIV_AIDS_MONTH',
      },
    },
    ...ZONES.filter((z) => z.reachedOn !== undefined).map((z) => ({
      key: `demo-act-${z.key}`,
      body: {
        communeCodes: [z.commune],
        heldOn: z.reachedOn as string,
        form: 'MEETING',
        venueType: z.kind,
        audienceType: 'WORKERS',
        audienceCount: 200 + z.name.length * 7,
        ...(z.reachedOn?.slice(5, 7) === '06' ? { campaignMonth: 'DRUG_PREVENTION_MONTH' } : {}),
        establishmentIds: [establishmentIdOf(z.key)],
      },
    })),
  ];
  await eachLimited(department, 2, ({ key, body }) => client.post(DOLISA, [PROVINCE], '/api/v1/activities', key, { ...body, planId }));
  await eachLimited(news, 4, ({ key, body }) => client.post(DOLISA, [PROVINCE], '/api/v1/activities', key, { ...body, planId }));

  await eachLimited(demoModels, 4, async (m) => {
    const code = `${PROVINCE}-SUPPORT_MODEL-${m.n}`;
    const created = await client.post(DOLISA, [PROVINCE], '/api/v1/support-models', `demo-model-${m.n}`, {
      modelCode: code,
      name: `${KIND_NAME[m.kind]} số ${m.n}`,
      kind: m.kind,
      ownerType: 'COMMUNE',
      ownerAgency: communeAgency(m.commune),
      communeCode: m.commune,
      foundedOn: `${2015 + (m.n % 7)}-0${1 + (m.n % 9)}-15`,
    });
    if (m.kind !== 'AFTER_CARE_CLUB') {
      // One volunteer team stopped in September: 24 of the 25 are active at the end of 2022.
      if (m.n === 40)
        await client.post(
          DOLISA,
          [PROVINCE],
          `/api/v1/support-models/${created.id}/deactivation`,
          'demo-model-40-off',
          { deactivatedOn: '2022-09-30', reason: 'NO_MEMBERS' },
          '"0"',
        );
      return;
    }
    // Each club logs its quarters itself (counts only).
    let version = created.version;
    for (const [q, [from, to]] of [
      ['2022-01-01', '2022-03-31'],
      ['2022-04-01', '2022-06-30'],
      ['2022-07-01', '2022-09-30'],
    ].entries()) {
      const body = { periodFrom: from, periodTo: to, meetings: 2 + ((m.n + q) % 3), members: 12 + m.n, personsSupported: 3 + ((m.n * 3 + q) % 8) };
      version = (await client.post(code, [PROVINCE], `/api/v1/support-models/${created.id}/activity-logs`, `demo-model-${m.n}-q${q + 1}`, body, `"${version}"`))
        .version;
    }
  });
  // Lạng Sơn: the border guard's "Hợp sức toàn dân tấn công tội phạm" mass-mobilisation model.
  const langSon = listCommunes('20')[0]?.code;
  if (langSon !== undefined) {
    await client.post('20-BORDER_GUARD', ['20'], '/api/v1/support-models', 'demo-model-ls-bdbp', {
      modelCode: '20-SUPPORT_MODEL-1',
      name: 'Hợp sức toàn dân tấn công tội phạm',
      kind: 'MASS_MOBILISATION_MODEL',
      ownerType: 'BORDER_GUARD',
      ownerAgency: '20-BORDER_GUARD',
      communeCode: langSon,
      foundedOn: '2019-05-01',
    });
  }
  // District plans under plan 146 (11 of the 13 districts: "100% of districts" is not met), recorded by the department.
  for (const [i, districtName] of formerDistrictsOf(PROVINCE, PLAN_146.issuedOn).slice(0, DISTRICTS_WITH_PLAN).entries())
    await client.post(DOLISA, [PROVINCE], '/api/v1/plans', `demo-district-plan-2022-${i}`, {
      issuedBy: DOLISA,
      number: `${60 + i}/KH-UBND`,
      issuedOn: `2022-06-${pad(1 + i)}`,
      title: `Kế hoạch thực hiện Kế hoạch 146/KH-UBND năm 2022 của ${districtName}`,
      leadAgency: DOLISA,
      periodFrom: '2022-06-01',
      periodTo: '2022-12-31',
      parentPlanId: planId,
      districtName,
      targets: [count('COMMUNES_WITH_ACTIVITY_IN_DISTRICT', 1, 'communication activities held in each commune of the district', ACTIVITY_EVENTS)],
    });
  // The staff register: the denominators of REHAB_STAFF_TRAINED (the August training reached 46 + 31 of 52 + 38).
  for (const [key, roster] of STAFF_ROSTERS.entries()) await client.post(DOLISA, [PROVINCE], '/api/v1/staff-rosters', `demo-staff-${key}`, roster);
  // Trainings of rehab and after-care staff and of commune officials (counts by group).
  await client.post(DOLISA, [PROVINCE], '/api/v1/trainings', 'demo-training-2022-08', {
    heldOn: '2022-08-10',
    topic: 'Cai nghiện ma túy và quản lý sau cai nghiện theo Luật Phòng, chống ma túy năm 2021',
    participants: [
      { group: 'REHAB_STAFF', count: 46 },
      { group: 'AFTER_CARE_STAFF', count: 31 },
    ],
    planId,
  });
  await client.post(DOLISA, [PROVINCE], '/api/v1/trainings', 'demo-training-2022-10', {
    heldOn: '2022-10-20',
    topic: 'Kỹ năng tuyên truyền phòng, chống tệ nạn ma túy cho cán bộ cơ sở',
    participants: [
      { group: 'OFFICIALS', count: 120 },
      { group: 'COLLABORATORS', count: 85 },
      { group: 'VOLUNTEERS', count: 64 },
    ],
    planId,
  });
  // The marker, last.
  await client.post(DOLISA, [PROVINCE], '/api/v1/surveys', SURVEY_KEY, {
    conductedFrom: '2022-11-01',
    conductedTo: '2022-11-30',
    planId,
    results: [
      { group: 'OFFICIALS', unitCode: PROVINCE, sampleSize: 420, aware: 268 },
      { group: 'REHAB_STAFF', unitCode: PROVINCE, sampleSize: 85, aware: 81 },
      { group: 'ADULTS', unitCode: '06793', sampleSize: 600, aware: 331 },
      { group: 'ADULTS', unitCode: '06685', sampleSize: 600, aware: 318 },
      { group: 'ADULTS', unitCode: '06811', sampleSize: 500, aware: 236 },
    ],
  });
  return { loaded: true, ...summary };
}

/** The campaigns service's demo for `npm start`: loads it (first start only) and prints tokens and examples. */
export async function campaignsDemo(context: DemoContext): Promise<DemoResult> {
  const url = context.urls['campaigns'] as string;
  const started = Date.now();
  const demo = await loadCampaignsDemo(url);
  const ppc = await signDevToken({ agency: PPC, roles: ['analyst'], units: [PROVINCE] });
  const club = await signDevToken({ agency: CLUB, roles: ['caseworker'], units: [PROVINCE] });
  const lines = [
    demo.loaded
      ? `  demo data  loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: plan 146/KH-UBND, ${demo.activities} activities, ${demo.articles} articles, ${demo.models} support models, the zone and school registers, ${DISTRICTS_WITH_PLAN} district plans, the staff register, 2 trainings, 1 survey (Quảng Ninh, 2022)`
      : '  demo data  already present (loaded on the first start)',
    `  plan 146   ${demo.planId}`,
    `  provincial People's Committee 22-PPC analyst (reads everything here)`,
    `    CAMPAIGNS_PPC_TOKEN=${ppc}`,
    `  after-care club ${CLUB} (logs its own activity)`,
    `    CLUB_TOKEN=${club}`,
    'Try:',
    `  curl -H "Authorization: Bearer $CAMPAIGNS_PPC_TOKEN" '${url}/api/v1/plans/${demo.planId}?on=2022-06-30'`,
    `  curl -H "Authorization: Bearer $CAMPAIGNS_PPC_TOKEN" '${url}/api/v1/activities?form=ARTICLE&from=2022-06-01&to=2022-06-30'`,
    `  curl -H "Authorization: Bearer $CLUB_TOKEN" ${url}/api/v1/support-models/${CLUB}`,
  ];
  const supportModels: Record<string, string[]> = {};
  for (const m of models(
    listCommunes(PROVINCE)
      .map((u) => u.code)
      .sort(),
  ))
    (supportModels[m.kind] ??= []).push(`${PROVINCE}-SUPPORT_MODEL-${m.n}`);
  const facts: CampaignsDemoFacts = { planId: demo.planId, supportModels };
  return { lines, facts: { ...facts } };
}
