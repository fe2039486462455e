/**
 * Demo referrals for the embedded default (`npm start` without DATABASE_URL), loaded after the cases
 * demo data (tools/demo-data.ts) and about its persons and cases: one referral in every status,
 * between the agencies that would really send and answer them, through the HTTP API of the running
 * referrals service with dev tokens of those agencies (so the service checks each person and case
 * with the cases service, under the sender's token, as it does for a user).
 *
 * Dates. The referrals domain dates every step today (only consent and decision dates are given), and
 * a due date may not be before today: nothing can be overdue on the day it is loaded. One referral is
 * due today, so it is overdue from tomorrow (the overdue checker marks it then).
 *
 * First time only. The marker is the data itself: the last referral the load writes, read back from
 * its stream by its sender. Should a load be cut short, loading again is harmless: each referral's id
 * derives from its sender and a fixed Idempotency-Key, every step carries a fixed key, and the steps a
 * referral's version shows as done are skipped (a step on a later day would be another request,
 * since the day is part of it).
 */
import { signDevToken } from '@haidang/auth';
import { vietnamDateOf } from '@haidang/calendar';
import { eachLimited, type DemoContext, type DemoResult } from '@haidang/service-kit';
import { referralIdFor } from '../referral/create-referral/create-referral.handler';

const PROVINCE = '22';
/** What the cases demo published: its commune and the ids of its persons and cases by key. */
export interface CasesDemoFacts {
  readonly commune: string;
  readonly personIds: Readonly<Record<string, string>>;
  readonly caseIds: Readonly<Record<string, string>>;
}

function casesFactsOf(context: DemoContext): CasesDemoFacts {
  const facts = context.earlier['cases'] as Partial<CasesDemoFacts> | undefined;
  if (typeof facts?.commune !== 'string' || facts.personIds === undefined || facts.caseIds === undefined)
    throw new Error('demo referrals: the cases demo must run first');
  return facts as CasesDemoFacts;
}
const FACILITY = `${PROVINCE}-REHAB_FACILITY-1`;
const HEALTH = `${PROVINCE}-HEALTH`;
const EMPLOYMENT_CENTRE = `${PROVINCE}-EMPLOYMENT_CENTRE`;
const AFTER_CARE_CLUB = `${PROVINCE}-SUPPORT_MODEL-3`;
/**
 * DOLISA was dissolved on 2025-03-01 and referrals are sent today: its functions are received by the
 * holders since (the platform's agency table): vocational education by the Department of Education
 * and Training, social protection (shelter) by the Department of Health.
 */
const EDUCATION = `${PROVINCE}-EDUCATION`;

/** One step: who takes it, the path below the referral (none: the creation), and its body. */
interface Step {
  readonly name: string;
  readonly agency: string;
  readonly path?: string;
  body(): Record<string, unknown>;
}

export interface DemoReferral {
  readonly key: string;
  readonly from: string;
  /** The status once every step is taken (checked, so a changed rule shows at once). */
  readonly status: 'DRAFT' | 'SENT' | 'REDIRECTED' | 'ACCEPTED' | 'DECLINED' | 'WITHDRAWN' | 'COMPLETED';
  readonly create: Record<string, unknown>;
  readonly then?: readonly Step[];
}

const today = (): string => vietnamDateOf(new Date());

/** The consent an after-care club needs (a non-state receiver), recorded at the person's progress meeting. */
const consent = (recordedOn: string, services: readonly string[]) => ({ given: true, recordedOn, scope: { services, treatmentData: false } });

/**
 * Every status; receivers are the facility, the employment centre, health, the after-care club and
 * the Department of Education. Invented text. A reason goes to a receiver that may not see treatment
 * data (the employment centre, the after-care club, education): it says what the person needs, never
 * that they are or were in rehab or on methadone. Every referral carries a coded reason of its
 * service type; the after-care club (non-state, consent without treatment data) sees only that
 * (issue 10 §10), and could not be sent one without it.
 */
export function referralsOf(facts: CasesDemoFacts): readonly DemoReferral[] {
  const COMMUNE = `${PROVINCE}-COMMUNE-${facts.commune}`;
  const idOfKey = (ids: Readonly<Record<string, string>>, key: string): string => {
    const id = ids[key];
    if (id === undefined) throw new Error(`demo referrals: the cases demo has no ${key}`);
    return id;
  };
  const person = (key: string, withCase = true): { personId: string; caseId?: string } => ({
    personId: idOfKey(facts.personIds, key),
    ...(withCase ? { caseId: idOfKey(facts.caseIds, key) } : {}),
  });
  return [
    {
      key: 'r01',
      from: COMMUNE,
      status: 'ACCEPTED',
      // The court decided compulsory rehab (the cases demo, p04): the commune refers the person to the facility for admission.
      create: {
        ...person('p04'),
        toAgency: FACILITY,
        serviceType: 'REHAB_ADMISSION',
        urgency: 'HIGH',
        sharesTreatmentData: true,
        reason: 'Thi hành quyết định của Tòa án nhân dân khu vực về việc áp dụng biện pháp đưa vào cơ sở cai nghiện bắt buộc.',
        reasonCode: 'COURT_DECISION',
      },
      then: [{ name: 'accept', agency: FACILITY, path: 'accept', body: () => ({}) }],
    },
    {
      key: 'r02',
      from: FACILITY,
      status: 'DECLINED',
      create: {
        ...person('p18'),
        toAgency: EMPLOYMENT_CENTRE,
        serviceType: 'VOCATIONAL_TRAINING',
        urgency: 'NORMAL',
        reason: 'Muốn học nghề hàn để có việc làm ổn định.',
        reasonCode: 'WANTS_TRADE_SKILL',
      },
      then: [{ name: 'decline', agency: EMPLOYMENT_CENTRE, path: 'decline', body: () => ({ reason: 'NO_CAPACITY', note: 'Lớp hàn năm nay đã đủ học viên.' }) }],
    },
    {
      key: 'r03',
      from: COMMUNE,
      status: 'REDIRECTED',
      create: {
        ...person('p09'),
        toAgency: EMPLOYMENT_CENTRE,
        serviceType: 'VOCATIONAL_TRAINING',
        urgency: 'NORMAL',
        reason: 'Muốn học lái xe để tìm việc làm.',
        reasonCode: 'WANTS_DRIVING_LICENCE',
      },
      then: [
        {
          name: 'redirect',
          agency: EMPLOYMENT_CENTRE,
          path: 'redirect',
          body: () => ({ toAgency: EDUCATION, note: 'Lớp lái xe do cơ sở giáo dục nghề nghiệp thuộc Sở Giáo dục và Đào tạo tổ chức.' }),
        },
      ],
    },
    {
      key: 'r04',
      from: COMMUNE,
      status: 'WITHDRAWN',
      create: {
        ...person('p07'),
        toAgency: HEALTH,
        serviceType: 'HEALTH_HIV_METHADONE',
        urgency: 'NORMAL',
        sharesTreatmentData: true,
        reason: 'Đề nghị điều trị methadone.',
        reasonCode: 'CARE_FOLLOW_UP',
      },
      then: [{ name: 'withdraw', agency: COMMUNE, path: 'withdraw', body: () => ({ note: 'Đã tự đăng ký tại cơ sở methadone Cẩm Phả.' }) }],
    },
    {
      key: 'r05',
      from: HEALTH,
      status: 'COMPLETED',
      create: {
        ...person('p06'),
        toAgency: EMPLOYMENT_CENTRE,
        serviceType: 'JOB_PLACEMENT',
        urgency: 'NORMAL',
        reason: 'Cần việc làm ổn định gần nhà, làm ca ngày.',
        reasonCode: 'JOB_NEAR_HOME',
      },
      then: [
        { name: 'accept', agency: EMPLOYMENT_CENTRE, path: 'accept', body: () => ({}) },
        {
          name: 'complete',
          agency: EMPLOYMENT_CENTRE,
          path: 'completion',
          body: () => ({ outcome: 'SERVICE_PROVIDED', note: 'Nhận vào làm công nhân vận hành máy, hợp đồng 3 tháng.' }),
        },
      ],
    },
    {
      key: 'r06',
      from: COMMUNE,
      status: 'DRAFT',
      // A draft needs no consent yet: it is sent once the signed consent is on file.
      create: {
        ...person('p11'),
        toAgency: AFTER_CARE_CLUB,
        serviceType: 'COUNSELLING',
        urgency: 'NORMAL',
        draft: true,
        reason: 'Cần tư vấn tâm lý; chờ giấy đồng ý.',
        reasonCode: 'PSYCHOLOGICAL_SUPPORT',
      },
    },
    {
      key: 'r07',
      from: COMMUNE,
      status: 'SENT',
      create: {
        ...person('p01'),
        toAgency: AFTER_CARE_CLUB,
        serviceType: 'COUNSELLING',
        urgency: 'HIGH',
        consent: consent('2026-09-01', ['COUNSELLING', 'JOB_PLACEMENT']),
        reason: 'Đề nghị hỗ trợ đồng đẳng và tư vấn tìm việc làm tại câu lạc bộ.',
        reasonCode: 'PEER_SUPPORT',
      },
    },
    {
      key: 'r08',
      from: COMMUNE,
      status: 'ACCEPTED',
      create: {
        ...person('p05'),
        toAgency: AFTER_CARE_CLUB,
        serviceType: 'JOB_PLACEMENT',
        urgency: 'NORMAL',
        consent: consent('2026-07-10', ['JOB_PLACEMENT']),
        reason: 'Câu lạc bộ giới thiệu việc làm.',
        reasonCode: 'NO_STABLE_JOB',
      },
      then: [
        { name: 'accept', agency: AFTER_CARE_CLUB, path: 'accept', body: () => ({}) },
        // Taken the day it runs; a later run skips it (the version shows it done), so the body may vary by day.
        { name: 'consent-withdrawal', agency: COMMUNE, path: 'consent-withdrawal', body: () => ({ withdrawnOn: today() }) },
      ],
    },
    {
      key: 'r09',
      from: FACILITY,
      status: 'SENT',
      create: {
        ...person('p23'),
        toAgency: HEALTH,
        serviceType: 'HEALTH_HIV_METHADONE',
        urgency: 'NORMAL',
        sharesTreatmentData: true,
        reason: 'Xét nghiệm và điều trị HIV trong thời gian cai nghiện.',
        reasonCode: 'VOLUNTARY_TESTING',
      },
    },
    {
      key: 'r10',
      from: COMMUNE,
      status: 'SENT',
      // Due today (not before today is the rule): overdue from tomorrow.
      create: {
        ...person('p29', false),
        toAgency: HEALTH,
        serviceType: 'SHELTER',
        urgency: 'HIGH',
        reason: 'Mất chỗ ở; cần tiếp nhận vào cơ sở trợ giúp xã hội.',
        reasonCode: 'NO_SAFE_HOME',
      },
    },
    // The marker: written last.
    {
      key: 'r11',
      from: COMMUNE,
      status: 'SENT',
      create: {
        ...person('p08'),
        toAgency: EMPLOYMENT_CENTRE,
        serviceType: 'JOB_PLACEMENT',
        urgency: 'NORMAL',
        reason: 'Muốn tìm việc làm gần nhà.',
        reasonCode: 'JOB_NEAR_HOME',
      },
    },
  ];
}

/** How long the demo waits for the after-care club to reach the register of support models (campaigns' events). */
const SUPPORT_MODEL_WAIT_MS = 60_000;

/** The one referral due today, when it is sent: its body is made on the day it runs. */
const DUE_TODAY = 'r10';

const keyOf = (referral: DemoReferral, step: string): string => `demo-${referral.key}-${step}`;
const idOf = (referral: DemoReferral): string => referralIdFor(referral.from, keyOf(referral, 'create'));
const stepsOf = (referral: DemoReferral): Step[] => [
  { name: 'create', agency: referral.from, body: () => (referral.key === DUE_TODAY ? { ...referral.create, dueBy: today() } : referral.create) },
  ...(referral.then ?? []),
];

interface ReferralRead {
  readonly version: number;
  readonly status: string;
}

class ReferralsDemoApi {
  private readonly tokens = new Map<string, Promise<string>>();
  constructor(private readonly baseUrl: string) {}

  token(agency: string): Promise<string> {
    let token = this.tokens.get(agency);
    if (!token) {
      const units = agency.includes('-COMMUNE-') ? [agency.slice(agency.lastIndexOf('-') + 1)] : [PROVINCE];
      token = signDevToken({ agency, roles: ['caseworker'], units });
      this.tokens.set(agency, token);
    }
    return token;
  }

  /** The referral as `agency` sees it, or undefined when it does not exist (404). */
  async read(agency: string, id: string): Promise<ReferralRead | undefined> {
    const response = await fetch(`${this.baseUrl}/api/v1/referrals/${id}`, { headers: { authorization: `Bearer ${await this.token(agency)}` } });
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) throw new Error(`demo referrals: GET /api/v1/referrals/{id} answered ${response.status}`);
    return (await response.json()) as ReferralRead;
  }

  /** POST with a fixed idempotency key; returns the new version. */
  async post(agency: string, path: string, idempotencyKey: string, body: unknown, version?: number): Promise<number> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token(agency)}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    };
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    // The club's founding reaches referrals' register of support models from the campaigns demo through
    // the event bus a moment after it is written: a bounded wait (a 422 appends nothing, the key makes a retry safe).
    const deadline = Date.now() + SUPPORT_MODEL_WAIT_MS;
    let response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    let text = await response.text();
    while (response.status === 422 && text.includes('unknown-support-model') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      text = await response.text();
    }
    // The service's problem+json names fields and rules, never values: safe to show.
    if (!response.ok)
      throw new Error(`demo referrals: POST ${path.replace(/[0-9a-f-]{36}/g, '{id}')} (${idempotencyKey}) answered ${response.status}: ${text.slice(0, 400)}`);
    return (JSON.parse(text) as { version: number }).version;
  }

  /** How many referrals of a status wait in an agency's inbox; 503 while the read model is built after a start. */
  async incoming(agency: string, status: string): Promise<number> {
    const authorization = `Bearer ${await this.token(agency)}`;
    for (;;) {
      const response = await fetch(`${this.baseUrl}/api/v1/referrals?direction=incoming&status=${status}`, { headers: { authorization } });
      if (response.status === 200) return ((await response.json()) as { total: number }).total;
      await response.arrayBuffer();
      if (response.status !== 503) throw new Error(`demo referrals: GET /api/v1/referrals answered ${response.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Takes the steps the referral's version does not show as done (each step appends one event: version = steps done - 1). */
async function load(api: ReferralsDemoApi, referral: DemoReferral): Promise<void> {
  const id = idOf(referral);
  const steps = stepsOf(referral);
  let version = (await api.read(referral.from, id))?.version ?? -1;
  for (let index = version + 1; index < steps.length; index++) {
    const step = steps[index] as Step;
    version =
      step.path === undefined
        ? await api.post(step.agency, '/api/v1/referrals', keyOf(referral, step.name), step.body())
        : await api.post(step.agency, `/api/v1/referrals/${id}/${step.path}`, keyOf(referral, step.name), step.body(), version);
  }
  const read = await api.read(referral.from, id);
  if (read?.status !== referral.status) throw new Error(`demo referrals: ${referral.key} is ${read?.status ?? 'missing'}, not ${referral.status}`);
}

export interface DemoReferralsResult {
  readonly loaded: boolean;
  readonly referrals: number;
}

/** Done when the marker (the last referral) has taken all its steps. */
async function alreadyLoaded(api: ReferralsDemoApi, referrals: readonly DemoReferral[]): Promise<boolean> {
  const marker = referrals[referrals.length - 1] as DemoReferral;
  const read = await api.read(marker.from, idOf(marker));
  return read !== undefined && read.version >= stepsOf(marker).length - 1;
}

/**
 * Loads the demo referrals unless they are there. Needs the cases demo data (its persons and cases)
 * loaded first; throws with a message naming the step (never personal data) when one is refused.
 */
export async function loadDemoReferrals(referralsUrl: string, facts: CasesDemoFacts): Promise<DemoReferralsResult> {
  const referrals = referralsOf(facts);
  const api = new ReferralsDemoApi(referralsUrl);
  if (await alreadyLoaded(api, referrals)) return { loaded: false, referrals: referrals.length };
  await eachLimited(referrals.slice(0, -1), 4, (referral) => load(api, referral));
  await load(api, referrals[referrals.length - 1] as DemoReferral);
  // The lists are a read model, built in the order of the log: wait (briefly) until the inbox of the
  // curl example shows the marker (the one referral waiting there), so the printed tokens work at once.
  const deadline = Date.now() + 10_000;
  while ((await api.incoming(EMPLOYMENT_CENTRE, 'SENT')) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { loaded: true, referrals: referrals.length };
}

export interface ReferralTokens {
  readonly employmentCentre: string;
  readonly afterCareClub: string;
  readonly education: string;
}

export async function referralTokens(): Promise<ReferralTokens> {
  const units = [PROVINCE];
  return {
    employmentCentre: await signDevToken({ agency: EMPLOYMENT_CENTRE, roles: ['caseworker'], units }),
    afterCareClub: await signDevToken({ agency: AFTER_CARE_CLUB, roles: ['caseworker'], units }),
    education: await signDevToken({ agency: EDUCATION, roles: ['caseworker'], units }),
  };
}

/** The lines `npm start` prints for the referrals service, after the cases lines. */
export function referralLines(referralsUrl: string, demo: DemoReferralsResult, tokens: ReferralTokens, seconds: number, samplePersonId: string): string[] {
  return [
    `Referrals ${referralsUrl} (OpenAPI at /api/docs):`,
    demo.loaded
      ? `  demo referrals  loaded in ${seconds.toFixed(1)} s: ${demo.referrals} about the demo persons, one in every status`
      : `  demo referrals  already present (${demo.referrals}, loaded on the first start)`,
    '    sent, accepted, declined (NO_CAPACITY), redirected (employment centre → Department of Education), withdrawn, completed, a draft;',
    `    to the after-care club ${AFTER_CARE_CLUB} (non-state) on the person's consent, one with the consent since withdrawn;`,
    `    none overdue yet (a due date cannot be in the past): the shelter request to ${HEALTH} (social protection since 2025) was due the day it was loaded, so it is overdue from the next day`,
    '  Receiver tokens (COMMUNE_TOKEN, FACILITY_TOKEN and HEALTH_TOKEN above work here too):',
    `    employment service centre ${EMPLOYMENT_CENTRE} (caseworker)`,
    `      EMPLOYMENT_CENTRE_TOKEN=${tokens.employmentCentre}`,
    `    after-care club ${AFTER_CARE_CLUB} (caseworker; sees what the consent covers: the coded reason, not the free text)`,
    `      SUPPORT_MODEL_TOKEN=${tokens.afterCareClub}`,
    `    Department of Education ${EDUCATION} (caseworker; the redirected driving course — vocational education since 2025)`,
    `      EDUCATION_TOKEN=${tokens.education}`,
    '  Try: the commune refers a demo person to the employment centre, then the centre finds it in its inbox',
    `    curl -X POST -H "Authorization: Bearer $COMMUNE_TOKEN" -H 'content-type: application/json' '${referralsUrl}/api/v1/referrals' \\`,
    `      -d '{"personId":"${samplePersonId}","toAgency":"${EMPLOYMENT_CENTRE}","serviceType":"JOB_COUNSELLING","reason":"Wants work near home","urgency":"NORMAL"}'`,
    `    curl -H "Authorization: Bearer $EMPLOYMENT_CENTRE_TOKEN" '${referralsUrl}/api/v1/referrals?direction=incoming'`,
    '    (direction=outgoing with $COMMUNE_TOKEN for the sender side; POST …/{id}/accept with If-Match: "<version>" to accept)',
  ];
}

/** The referrals service's demo for `npm start`: referrals about the cases demo's persons (it runs after it). */
export async function referralsDemo(context: DemoContext): Promise<DemoResult> {
  const facts = casesFactsOf(context);
  const referralsUrl = context.urls['referrals'] as string;
  const started = Date.now();
  const demo = await loadDemoReferrals(referralsUrl, facts);
  return { lines: referralLines(referralsUrl, demo, await referralTokens(), (Date.now() - started) / 1000, facts.personIds['p01'] ?? '') };
}
