/**
 * Demo data for `npm start` on the embedded default: training providers and employers in Quảng Ninh,
 * and employment records for the demo persons of the cases service who completed rehab: counselling,
 * one training completed and then a job, one dropout, and jobs whose follow-ups are due soon or
 * overdue (dated from today, so they stay so). Everything goes through the HTTP API with the
 * employment centre's dev token, so every event is validated, encrypted and attributed like a
 * user's, and every POST carries a fixed Idempotency-Key. First time only: the marker is the last
 * record, read from its stream. All names and numbers are invented.
 */
import { signDevToken } from '@haidang/auth';
import { addDays, addMonths, vietnamDateOf } from '@haidang/calendar';
import type { DemoContext, DemoResult } from '@haidang/service-kit';
import { employmentRecordIdFor } from '../employment-record/open-employment-record/open-employment-record.handler';
import { employerIdFor, trainingProviderIdFor } from '../registers/registers.handler';

const CENTRE = '22-EMPLOYMENT_CENTRE';
/** A business that trains and signs in to see its enrolments (see PROVIDER_AGENCY_TYPES). */
const PROVIDER_AGENCY = '22-NGO-7';

interface CasesDemoFacts {
  readonly personIds: Readonly<Record<string, string>>;
}

const PROVIDERS = [
  { key: 'provider-coal-college', name: 'Trường Cao đẳng Than – Khoáng sản Việt Nam', kind: 'VOCATIONAL_SCHOOL', communeCode: '06685', capacity: 400 },
  { key: 'provider-campha-centre', name: 'Trung tâm GDNN – GDTX Cẩm Phả', kind: 'VOCATIONAL_CENTRE', communeCode: '06793', capacity: 150 },
  { key: 'provider-viet-han', name: 'Trường Cao đẳng Việt – Hàn Quảng Ninh', kind: 'VOCATIONAL_SCHOOL', communeCode: '06811', capacity: 300 },
  {
    key: 'provider-hongai-mech',
    name: 'Công ty CP Cơ khí Hòn Gai (đào tạo tại doanh nghiệp)',
    kind: 'BUSINESS',
    communeCode: '06685',
    capacity: 30,
    agencyCode: PROVIDER_AGENCY,
  },
] as const;

const EMPLOYERS = [
  { key: 'employer-coc-sau', name: 'Công ty Than Cọc Sáu (demo)', taxCode: '5700900001', communeCode: '06793', sector: 'MINING' },
  { key: 'employer-cement', name: 'Công ty CP Xi măng Cẩm Phả (demo)', taxCode: '5700900002', communeCode: '06793', sector: 'MANUFACTURING' },
  { key: 'employer-hotel', name: 'Khách sạn Biên Cương Móng Cái (demo)', taxCode: '5700900003', communeCode: '06712', sector: 'TOURISM_HOSPITALITY' },
  { key: 'employer-garage', name: 'Gara ô tô Uông Bí (demo)', taxCode: '5700900004', communeCode: '06811', sector: 'TRADE_SERVICES' },
] as const;

type EmployerKey = (typeof EMPLOYERS)[number]['key'];
type ProviderKey = (typeof PROVIDERS)[number]['key'];

/** One step of a record: its path below the record and its body (ids of earlier steps read back from the record). */
type Step = { readonly path: string; body(record: RecordView): Record<string, unknown> };
interface RecordView {
  readonly enrolments: { enrolmentId: string }[];
  readonly placements: { placementId: string; followUps: { month: number; dueOn: string }[] }[];
}
interface DemoRecord {
  readonly key: string;
  readonly person: string;
  readonly communeCode: string;
  readonly need: string;
  readonly steps: readonly Step[];
}

const session = (heldOn: string, outcome: string, nextStep: string): Step => ({
  path: 'counselling-sessions',
  body: () => ({ heldOn, counsellor: 'Tư vấn viên Nguyễn Thị Hoa', outcome, nextStep, note: 'Buổi tư vấn tại trung tâm (demo).' }),
});
const enrol = (provider: ProviderKey, tradeCode: string, startOn: string, expectedEndOn: string): Step => ({
  path: 'enrolments',
  body: () => ({
    tradeCode,
    providerId: trainingProviderIdFor(CENTRE, `demo-${provider}`),
    level: 'UNDER_3_MONTHS',
    startOn,
    expectedEndOn,
    funding: 'STATE_SUPPORT_AFTER_REHAB',
  }),
});
const job = (employer: EmployerKey, jobTitle: string, startOn: string, loan = false): Step => ({
  path: 'placements',
  body: () => ({
    employerId: employerIdFor(CENTRE, `demo-${employer}`),
    jobTitle,
    contractType: 'FIXED_TERM',
    startOn,
    wageBand: '6M_TO_8M',
    loan: loan ? { programme: 'JOB_CREATION', amountBand: 'UP_TO_50M' } : null,
  }),
});
/** The follow-up at `month` of the first job, recorded on its due date. */
const checked = (month: number): Step => ({
  path: 'follow-ups',
  body: (record) => {
    const placement = record.placements[0];
    const dueOn = placement?.followUps.find((f) => f.month === month)?.dueOn;
    return { placementId: placement?.placementId, month, checkedOn: dueOn, stillWorking: true };
  },
});

function recordsOf(today: string): readonly DemoRecord[] {
  return [
    {
      key: 'p08',
      person: 'p08',
      communeCode: '06793',
      need: 'WANTS_TRAINING',
      steps: [
        session('2023-01-16', 'REFERRED_TO_TRAINING', 'ENROL_IN_TRAINING'),
        enrol('provider-hongai-mech', 'WELDING', '2023-02-06', '2023-04-28'),
        {
          path: 'training-completions',
          body: (r) => ({ enrolmentId: r.enrolments[0]?.enrolmentId, completedOn: '2023-04-27', certificateNumber: 'QN-DEMO-0001' }),
        },
        job('employer-coc-sau', 'Thợ hàn', '2023-05-08', true),
        checked(3),
        checked(6),
        checked(12),
      ],
    },
    {
      key: 'p19',
      person: 'p19',
      communeCode: '06811',
      need: 'WANTS_TRAINING',
      steps: [
        session('2023-01-17', 'REFERRED_TO_TRAINING', 'ENROL_IN_TRAINING'),
        enrol('provider-viet-han', 'AUTO_REPAIR', '2023-02-13', '2023-05-12'),
        { path: 'training-dropouts', body: (r) => ({ enrolmentId: r.enrolments[0]?.enrolmentId, droppedOn: '2023-03-20', reason: 'FAMILY' }) },
      ],
    },
    { key: 'p05', person: 'p05', communeCode: '06793', need: 'WANTS_WORK', steps: [session('2023-01-18', 'INFORMED', 'FOLLOW_UP_SESSION')] },
    // The 3-month check is overdue (the job started four months ago).
    {
      key: 'p09',
      person: 'p09',
      communeCode: '06793',
      need: 'WANTS_WORK',
      steps: [session('2023-01-19', 'REFERRED_TO_EMPLOYER', 'JOB_INTRODUCTION'), job('employer-cement', 'Công nhân vận hành', addMonths(today, -4))],
    },
    // The 3-month check falls due in about two weeks.
    {
      key: 'p24',
      person: 'p24',
      communeCode: '06712',
      need: 'WANTS_WORK',
      steps: [
        session('2023-01-20', 'REFERRED_TO_EMPLOYER', 'JOB_INTRODUCTION'),
        job('employer-hotel', 'Nhân viên buồng phòng', addDays(addMonths(today, -3), 14)),
      ],
    },
    // The 3- and 6-month checks recorded, the 12-month one overdue (the last: the demo's marker).
    {
      key: 'p18',
      person: 'p18',
      communeCode: '06811',
      need: 'WANTS_WORK',
      steps: [
        session('2023-01-23', 'REFERRED_TO_EMPLOYER', 'JOB_INTRODUCTION'),
        job('employer-garage', 'Thợ sửa ô tô', addMonths(today, -13), true),
        checked(3),
        checked(6),
      ],
    },
  ];
}

class EmploymentDemoApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async post(path: string, body: unknown, key: string, ifMatch?: string): Promise<void> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.token}`,
        'idempotency-key': key,
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`demo employment: ${path} (${key}) answered ${response.status}: ${await response.text()}`);
  }

  async record(id: string): Promise<(RecordView & { version: number }) | undefined> {
    const response = await fetch(`${this.url}/api/v1/employment-records/${id}`, { headers: { authorization: `Bearer ${this.token}` } });
    return response.ok ? ((await response.json()) as RecordView & { version: number }) : undefined;
  }
}

async function loadRecord(api: EmploymentDemoApi, facts: CasesDemoFacts, record: DemoRecord): Promise<void> {
  const personId = facts.personIds[record.person];
  if (personId === undefined) throw new Error(`demo employment: no demo person ${record.person}`);
  const id = employmentRecordIdFor(CENTRE, `demo-record-${record.key}`);
  await api.post(
    '/api/v1/employment-records',
    {
      personId,
      communeCode: record.communeCode,
      openedOn: '2023-01-10',
      need: record.need,
      skills: 'Sức khỏe tốt, chăm chỉ (demo).',
      preferences: 'Làm gần nhà (demo).',
    },
    `demo-record-${record.key}`,
  );
  for (const [index, step] of record.steps.entries()) {
    const view = (await api.record(id)) as RecordView;
    await api.post(`/api/v1/employment-records/${id}/${step.path}`, step.body(view), `demo-record-${record.key}-${index + 1}`, `"${index}"`);
  }
}

export async function employmentDemo(context: DemoContext): Promise<DemoResult> {
  const url = context.urls['employment'] as string;
  const facts = context.earlier['cases'] as CasesDemoFacts | undefined;
  if (facts?.personIds === undefined) throw new Error('demo employment: the cases demo must run first');
  const token = await signDevToken({ agency: CENTRE, roles: ['caseworker'], units: ['22'] });
  const api = new EmploymentDemoApi(url, token);
  const today = vietnamDateOf(new Date());
  const records = recordsOf(today);
  const marker = records[records.length - 1] as DemoRecord;
  const existing = await api.record(employmentRecordIdFor(CENTRE, `demo-record-${marker.key}`));
  const started = Date.now();
  const loaded = existing === undefined || existing.version < marker.steps.length;
  if (loaded) {
    for (const p of PROVIDERS) await api.post('/api/v1/training-providers', { ...p, key: undefined, registeredOn: '2023-01-02' }, `demo-${p.key}`);
    for (const e of EMPLOYERS) await api.post('/api/v1/employers', { ...e, key: undefined, registeredOn: '2023-01-02' }, `demo-${e.key}`);
    for (const record of records) await loadRecord(api, facts, record);
  }
  const providerToken = await signDevToken({ agency: PROVIDER_AGENCY, roles: ['caseworker'], units: ['22'] });
  const providerId = trainingProviderIdFor(CENTRE, 'demo-provider-hongai-mech');
  return {
    lines: [
      `Employment ${url} (OpenAPI at /api/docs):`,
      loaded
        ? `  demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${PROVIDERS.length} training providers, ${EMPLOYERS.length} employers, ${records.length} records`
        : '  demo data already present (loaded on the first start)',
      '    counselling, one training completed then a job followed up at 3/6/12 months, one dropout, follow-ups due soon and overdue',
      '  The employment centre (EMPLOYMENT_CENTRE_TOKEN above): follow-ups due in the next month, overdue ones flagged',
      `    curl -H "Authorization: Bearer $EMPLOYMENT_CENTRE_TOKEN" '${url}/api/v1/employment/follow-ups?dueBefore=${addMonths(today, 1)}'`,
      `  A business that trains (${PROVIDER_AGENCY}): only the enrolments at itself, no person or case`,
      `    PROVIDER_TOKEN=${providerToken}`,
      `    curl -H "Authorization: Bearer $PROVIDER_TOKEN" '${url}/api/v1/training-providers/${providerId}/enrolments'`,
    ],
  };
}
