/**
 * Demo data for the embedded default (`npm start` without DATABASE_URL): persons and rehab cases of
 * Quảng Ninh (22) and Lạng Sơn (20) — the two provinces of the source article — in every form and
 * several statuses, dated in 2022 (Law 73/2021/QH14) and after 2026-07-01 (Law 120/2025/QH15), with
 * minors (12–17), the management of illegal drug users that follows a "not addicted"
 * determination, and the compulsory rehab a relapse during post-rehab management leads to.
 *
 * As an official would find them (issue 11): decision numbers follow Decree 30/2020/NĐ-CP
 * (`số/QĐ-<issuing body>`: UBND for a commune chair, TA for a court, CSCN for the facility, TTYT for
 * the health centre's methadone point), each decision has its own number, and every decision is
 * dated on a working day of the official calendar (never the first day of Tết or National Day; a
 * unit test checks it). Acts after the 2025 reorganisation are done by the agency type holding the
 * function on their date (erasure and audit by the provincial police, no DOLISA). Everything goes through the HTTP API of the running cases service
 * with dev tokens of the agency that would really do each step, so every event is validated,
 * encrypted and attributed exactly like a user's.
 *
 * First time only. The marker is the data itself: the sample case (p01's, in 06793), whose
 * registration is the last thing the load writes. When the commune officer of 06793 can read it,
 * the demo is not loaded again. A marker file could outlive (or be missing from) the database it
 * describes; the data cannot, and reading one case from its stream needs no read model (the lists
 * answer 503 while they are built after a start). Should a first load be cut short, loading again
 * is harmless: every POST carries a fixed Idempotency-Key, so the service answers from its record
 * instead of writing twice.
 *
 * All names, IDs, addresses and phone numbers below are invented.
 */
import { signDevToken } from '@haidang/auth';
import { listCommunes } from '@haidang/jurisdiction';
import { drugUserManagementIdFor } from '../drug-user-management/drug-user-management-commands';
import { eachLimited, type DemoContext, type DemoResult } from '@haidang/service-kit';
import { personIdFor } from '../person/register-person/register-person.handler';
import { caseIdFor } from '../rehab-case/register-rehab-case/register-rehab-case.handler';

const PROVINCE = '22';
const LANG_SON = '20';
export const DEMO_COMMUNE = '06793';
const FACILITY_AGENCY = '22-REHAB_FACILITY-1';
const LANG_SON_FACILITY_AGENCY = '20-REHAB_FACILITY-1';
const HEALTH_AGENCY = '22-HEALTH';
const FACILITY_ID = 'QN-CSCN-01';
const LANG_SON_FACILITY_ID = 'LS-CSCN-01';
/** The district health centre that does addiction determinations (Decree 109/2021). */
const DETERMINATION_FACILITY_ID = 'QN-TTYT-CP';

/**
 * Cẩm Phả first (the printed commune token sees it), then a few other communes of Quảng Ninh, then
 * Lạng Sơn: Phường Đông Kinh (the provincial city) and Xã Đồng Đăng (the border gate).
 */
const DEMO_COMMUNES = ['06793', '06685', '06811', '06712', '06778', '05977', '06184'] as const;
const LANG_SON_COMMUNES: readonly string[] = ['05977', '06184'];
const provinceOfCommune = (commune: string): string => (LANG_SON_COMMUNES.includes(commune) ? LANG_SON : PROVINCE);

type Sex = 'MALE' | 'FEMALE';

export interface DemoPerson {
  readonly key: string;
  readonly fullName: string;
  readonly sex: Sex;
  readonly dateOfBirth: string;
  readonly commune: (typeof DEMO_COMMUNES)[number];
  readonly address: string;
  readonly withId: boolean;
  readonly phone?: string;
}

export type Scenario =
  | 'FORM_DECIDED_2026'
  | 'IN_REHAB_2026'
  | 'COMPLETED_2022'
  | 'POST_REHAB_2022'
  | 'POST_REHAB_ACROSS_LAWS'
  | 'CLOSED_2022'
  | 'RELAPSED_2022'
  | 'FACILITY_DISCONTINUED_2022'
  | 'FACILITY_DISCONTINUED_2026'
  | 'FACILITY_REDUCED_COMPLETED_2022'
  | 'FACILITY_IN_REHAB_2026'
  | 'COMPULSORY_2026'
  | 'COMPULSORY_2022_POST_REHAB'
  | 'COMPULSORY_AWAITING_ADMISSION_2026'
  | 'NOT_ADDICTED_MANAGED_2026'
  | 'METHADONE_2022'
  | 'METHADONE_2026'
  | 'CEDEMEX_2022'
  | 'CEDEMEX_COMMUNE_2022'
  | 'MINOR_COMMUNITY_2026'
  | 'MINOR_COMPULSORY_2026'
  | 'LS_COMPULSORY_2022'
  | 'LS_COMMUNITY_2026'
  | 'LS_NOT_ADDICTED_MANAGED_2026'
  /** The new course a relapse during post-rehab management leads to: compulsory rehab, at once. */
  | 'COMPULSORY_AFTER_RELAPSE_2023';

const P = (
  key: string,
  fullName: string,
  sex: Sex,
  dateOfBirth: string,
  commune: DemoPerson['commune'],
  address: string,
  withId = true,
  phone?: string,
): DemoPerson => ({
  key,
  fullName,
  sex,
  dateOfBirth,
  commune,
  address,
  withId,
  ...(phone === undefined ? {} : { phone }),
});

/** 36 persons (30 in Quảng Ninh, 6 in Lạng Sơn); the scenario list below gives most of them one case. */
export const PERSONS: readonly DemoPerson[] = [
  P('p01', 'Nguyễn Văn Hùng', 'MALE', '1988-03-14', '06793', 'Tổ 2, khu 3, Cẩm Phả', true, '0912000101'),
  P('p02', 'Trần Thị Lan', 'FEMALE', '1995-07-02', '06793', 'Tổ 5, khu 1, Cẩm Phả'),
  P('p03', 'Lê Văn Thắng', 'MALE', '1979-11-23', '06793', 'Tổ 1, khu 7, Cẩm Phả', false),
  P('p04', 'Phạm Minh Tuấn', 'MALE', '2001-01-30', '06793', 'Tổ 4, khu 2, Cẩm Phả', true, '0988000104'),
  P('p05', 'Hoàng Văn Nam', 'MALE', '1992-05-09', '06793', 'Tổ 3, khu 6, Cẩm Phả'),
  P('p06', 'Vũ Thị Hồng', 'FEMALE', '1986-09-17', '06793', 'Tổ 6, khu 4, Cẩm Phả', false),
  P('p07', 'Đặng Quốc Bảo', 'MALE', '1998-12-05', '06793', 'Tổ 2, khu 5, Cẩm Phả'),
  P('p08', 'Bùi Văn Long', 'MALE', '1975-04-21', '06793', 'Tổ 7, khu 1, Cẩm Phả'),
  P('p09', 'Đỗ Thành Trung', 'MALE', '1990-08-11', '06793', 'Tổ 1, khu 3, Cẩm Phả', true, '0903000109'),
  P('p10', 'Ngô Văn Khải', 'MALE', '1983-02-27', '06793', 'Tổ 8, khu 2, Cẩm Phả', false),
  P('p11', 'Dương Thị Mai', 'FEMALE', '2003-06-19', '06793', 'Tổ 3, khu 4, Cẩm Phả'),
  P('p12', 'Lý Văn Đức', 'MALE', '1994-10-03', '06793', 'Tổ 5, khu 6, Cẩm Phả'),
  P('p13', 'Nguyễn Thị Thu', 'FEMALE', '1991-03-08', '06685', 'Tổ 9, khu 2, Hồng Gai'),
  P('p14', 'Trần Văn Dũng', 'MALE', '1987-12-12', '06685', 'Tổ 4, khu 5, Hồng Gai', false),
  P('p15', 'Phạm Văn Toàn', 'MALE', '1999-07-25', '06685', 'Tổ 1, khu 8, Hồng Gai'),
  P('p16', 'Hoàng Thị Nga', 'FEMALE', '1980-01-15', '06685', 'Tổ 6, khu 3, Hồng Gai'),
  P('p17', 'Vũ Đức Anh', 'MALE', '2004-04-04', '06685', 'Tổ 2, khu 1, Hồng Gai'),
  P('p18', 'Đinh Văn Sơn', 'MALE', '1985-06-30', '06811', 'Tổ 3, khu Nam Sơn, Uông Bí'),
  P('p19', 'Mai Văn Tiến', 'MALE', '1993-09-09', '06811', 'Tổ 7, khu Bắc Sơn, Uông Bí', false),
  P('p20', 'Tạ Thị Hương', 'FEMALE', '1997-02-14', '06811', 'Tổ 1, khu Trưng Vương, Uông Bí'),
  P('p21', 'Lương Văn Cường', 'MALE', '1978-08-08', '06811', 'Tổ 5, khu Quang Trung, Uông Bí'),
  P('p22', 'Phùng Văn Hải', 'MALE', '1989-11-02', '06712', 'Khu 4, Móng Cái 1'),
  P('p23', 'Chu Thị Thảo', 'FEMALE', '2000-05-28', '06712', 'Khu 2, Móng Cái 1', false),
  P('p24', 'Hà Văn Quyết', 'MALE', '1984-03-19', '06712', 'Khu 6, Móng Cái 1'),
  P('p25', 'Lâm Văn Phúc', 'MALE', '1996-12-24', '06712', 'Khu 1, Móng Cái 1'),
  P('p26', 'Nông Văn Thành', 'MALE', '1982-07-07', '06778', 'Tổ 2, khu 3, Quang Hanh'),
  P('p27', 'Triệu Thị Huyền', 'FEMALE', '1994-01-01', '06778', 'Tổ 4, khu 6, Quang Hanh'),
  P('p28', 'Đoàn Văn Lực', 'MALE', '1991-10-10', '06778', 'Tổ 8, khu 1, Quang Hanh', false),
  P('p29', 'Nguyễn Văn An', 'MALE', '1990-05-17', '06793', 'Tổ 9, khu 7, Cẩm Phả'),
  P('p30', 'Trịnh Văn Bình', 'MALE', '1987-04-12', '06778', 'Tổ 1, khu 2, Quang Hanh'),
  // Lạng Sơn (20).
  P('p31', 'Hoàng Văn Tùng', 'MALE', '1986-02-19', '06184', 'Thôn Pò Mò, Đồng Đăng'),
  P('p32', 'Lộc Thị Hạnh', 'FEMALE', '1993-08-25', '05977', 'Khối 4, Đông Kinh', true, '0913000132'),
  // A minor (16 on the decision date): minors' terms apply.
  P('p33', 'Vi Văn Khánh', 'MALE', '2010-03-12', '05977', 'Khối 7, Đông Kinh', false),
  P('p34', 'Nông Văn Dũng', 'MALE', '1999-11-30', '06184', 'Khu Ga, Đồng Đăng'),
  P('p35', 'Lương Thị Yến', 'FEMALE', '1990-06-06', '06184', 'Thôn Nà Lầu, Đồng Đăng'),
  // A minor in Quảng Ninh (17 on the court's decision date).
  P('p36', 'Đặng Văn Phong', 'MALE', '2009-09-15', '06778', 'Tổ 6, khu 4, Quang Hanh', false),
];

/** Person key → what happened to them. Persons not listed have no case (yet). */
export const CASES: ReadonlyArray<readonly [string, Scenario]> = [
  ['p01', 'IN_REHAB_2026'],
  ['p02', 'FORM_DECIDED_2026'],
  ['p03', 'CLOSED_2022'],
  ['p04', 'COMPULSORY_AWAITING_ADMISSION_2026'],
  ['p05', 'POST_REHAB_ACROSS_LAWS'],
  ['p06', 'METHADONE_2022'],
  ['p07', 'FACILITY_DISCONTINUED_2022'],
  ['p08', 'COMPLETED_2022'],
  ['p09', 'POST_REHAB_2022'],
  ['p10', 'RELAPSED_2022'],
  ['p11', 'NOT_ADDICTED_MANAGED_2026'],
  ['p12', 'FACILITY_IN_REHAB_2026'],
  ['p13', 'IN_REHAB_2026'],
  ['p14', 'COMPULSORY_2022_POST_REHAB'],
  ['p15', 'CEDEMEX_2022'],
  ['p16', 'METHADONE_2026'],
  ['p17', 'FORM_DECIDED_2026'],
  ['p18', 'FACILITY_REDUCED_COMPLETED_2022'],
  ['p19', 'COMPLETED_2022'],
  ['p20', 'IN_REHAB_2026'],
  ['p21', 'CLOSED_2022'],
  ['p22', 'COMPULSORY_2026'],
  ['p23', 'FACILITY_IN_REHAB_2026'],
  ['p24', 'POST_REHAB_2022'],
  ['p26', 'FACILITY_DISCONTINUED_2026'],
  ['p27', 'METHADONE_2026'],
  ['p28', 'RELAPSED_2022'],
  ['p29', 'CEDEMEX_COMMUNE_2022'],
  ['p31', 'LS_COMPULSORY_2022'],
  ['p32', 'LS_COMMUNITY_2026'],
  ['p33', 'MINOR_COMMUNITY_2026'],
  ['p34', 'LS_NOT_ADDICTED_MANAGED_2026'],
  ['p36', 'MINOR_COMPULSORY_2026'],
];

/**
 * Second cases: a relapse during post-rehab management is a ground for compulsory rehab (Law
 * 73/2021), so the relapsed persons' next course is a compulsory one, prepared by the commune police
 * within days of the relapse — not a voluntary facility stay years later.
 */
export const FOLLOW_UP_CASES: ReadonlyArray<readonly [string, Scenario]> = [
  ['p10', 'COMPULSORY_AFTER_RELAPSE_2023'],
  ['p28', 'COMPULSORY_AFTER_RELAPSE_2023'],
];
const FOLLOW_UP_EPISODE = 'after-relapse';

/** A personal ID consistent with what the service checks: 0 + province of birth (22 Quảng Ninh, 20 Lạng Sơn), century/sex digit, birth year, then 6 digits. */
export function demoPersonalId(person: Pick<DemoPerson, 'dateOfBirth' | 'sex' | 'key'> & { readonly commune?: string }): string {
  const year = Number(person.dateOfBirth.slice(0, 4));
  const centuryDigit = (year >= 2000 ? 2 : 0) + (person.sex === 'FEMALE' ? 1 : 0);
  const serial = String(100_000 + Number(person.key.slice(1)) * 7_919).slice(-6);
  const province = person.commune === undefined ? PROVINCE : provinceOfCommune(person.commune);
  return `0${province}${centuryDigit}${person.dateOfBirth.slice(2, 4)}${serial}`;
}

export interface DemoTokens {
  readonly commune: string;
  readonly communePolice: string;
  readonly langSonCommune: string;
  readonly facility: string;
  readonly health: string;
  readonly police: string;
  readonly dataProtection: string;
  readonly auditor: string;
  readonly ppcAnalyst: string;
}

const communeAgency = (commune: string): string => `${provinceOfCommune(commune)}-COMMUNE-${commune}`;
const communePoliceAgency = (commune: string): string => `${provinceOfCommune(commune)}-COMMUNE_POLICE-${commune}`;

export async function demoTokens(): Promise<DemoTokens> {
  const province = [PROVINCE];
  return {
    commune: await signDevToken({ agency: communeAgency(DEMO_COMMUNE), roles: ['caseworker'], units: [DEMO_COMMUNE] }),
    communePolice: await signDevToken({ agency: communePoliceAgency(DEMO_COMMUNE), roles: ['caseworker'], units: [DEMO_COMMUNE] }),
    langSonCommune: await signDevToken({ agency: communeAgency('06184'), roles: ['caseworker'], units: ['06184'] }),
    facility: await signDevToken({ agency: FACILITY_AGENCY, roles: ['caseworker'], units: province }),
    health: await signDevToken({ agency: HEALTH_AGENCY, roles: ['caseworker'], units: province }),
    police: await signDevToken({ agency: `${PROVINCE}-POLICE`, roles: ['caseworker'], units: province }),
    // DOLISA was dissolved on 2025-03-01: the provincial police hold drug-rehab state management since.
    dataProtection: await signDevToken({ agency: `${PROVINCE}-POLICE`, roles: ['data-protection'], units: province }),
    auditor: await signDevToken({ agency: `${PROVINCE}-POLICE`, roles: ['auditor'], units: province }),
    ppcAnalyst: await signDevToken({ agency: `${PROVINCE}-PPC`, roles: ['analyst'], units: province }),
  };
}

/** The lines `npm start` prints: one token per line, with what it is for, and a curl example. */
export function tokenLines(casesUrl: string, tokens: DemoTokens, sampleCaseId?: string): string[] {
  return [
    'Dev tokens (8 h; make others with `npm run token -- --agency … --role …`):',
    `  commune officer 06793 Phường Cẩm Phả (caseworker; voluntary community rehab, persons of the commune)`,
    `    COMMUNE_TOKEN=${tokens.commune}`,
    `  commune police 22-COMMUNE_POLICE-06793 (caseworker; compulsory-rehab dossier, drug tests during management of illegal drug users)`,
    `    COMMUNE_POLICE_TOKEN=${tokens.communePolice}`,
    `  commune officer 20-COMMUNE-06184 Xã Đồng Đăng, Lạng Sơn (caseworker)`,
    `    LANG_SON_COMMUNE_TOKEN=${tokens.langSonCommune}`,
    `  rehab facility ${FACILITY_AGENCY} (caseworker; facility stays, compulsory rehab)`,
    `    FACILITY_TOKEN=${tokens.facility}`,
    `  health service ${HEALTH_AGENCY} (caseworker; substitution therapy)`,
    `    HEALTH_TOKEN=${tokens.health}`,
    `  provincial police 22-POLICE (caseworker; reads persons and cases of the province, records relapses; drug-rehab state management since 2025-03-01)`,
    `    POLICE_TOKEN=${tokens.police}`,
    `  provincial police 22-POLICE data protection (erasure; DOLISA's until it was dissolved on 2025-03-01)`,
    `    DATA_PROTECTION_TOKEN=${tokens.dataProtection}`,
    `  provincial police 22-POLICE auditor (case histories)`,
    `    AUDITOR_TOKEN=${tokens.auditor}`,
    `  provincial People's Committee 22-PPC analyst (no person-level access here)`,
    `    PPC_TOKEN=${tokens.ppcAnalyst}`,
    'Try:',
    `  curl -H "Authorization: Bearer $COMMUNE_TOKEN" '${casesUrl}/api/v1/persons?communeCode=${DEMO_COMMUNE}'`,
    ...(sampleCaseId ? [`  curl -H "Authorization: Bearer $COMMUNE_TOKEN" ${casesUrl}/api/v1/rehab-cases/${sampleCaseId}/history`] : []),
  ];
}

export interface DemoDataResult {
  readonly loaded: boolean;
  readonly persons: number;
  readonly cases: number;
  /** A rehab case in 06793 the commune token may read. */
  readonly sampleCaseId: string;
}

class DemoApi {
  private readonly tokenCache = new Map<string, Promise<string>>();
  constructor(private readonly baseUrl: string) {}

  token(agency: string): Promise<string> {
    let token = this.tokenCache.get(agency);
    if (!token) {
      // Commune bodies (the People's Committee, the commune police) act in their commune, others in their province.
      const commune = /-COMMUNE(?:_POLICE)?-(\d{5})$/.exec(agency)?.[1];
      const units = commune === undefined ? [agency.slice(0, 2)] : [commune];
      token = signDevToken({ agency, roles: ['caseworker'], units });
      this.tokenCache.set(agency, token);
    }
    return token;
  }

  async get(agency: string, path: string): Promise<unknown> {
    const authorization = `Bearer ${await this.token(agency)}`;
    // 503: a read model is still being built right after start-up; it says so and asks to retry.
    const deadline = Date.now() + 15_000;
    let response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization } });
    while (response.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization } });
    }
    if (!response.ok) throw new Error(`demo data: GET ${path.split('?')[0]} answered ${response.status}`);
    return response.json();
  }

  /** Whether the agency can read the rehab case (200) or it does not exist (404). */
  async caseExists(agency: string, caseId: string): Promise<boolean> {
    const response = await fetch(`${this.baseUrl}/api/v1/rehab-cases/${caseId}`, { headers: { authorization: `Bearer ${await this.token(agency)}` } });
    await response.arrayBuffer();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw new Error(`demo data: GET /api/v1/rehab-cases/{id} answered ${response.status}`);
  }

  /** POST with a fixed idempotency key (a re-run is answered from the record); returns { id, version }. */
  async post(agency: string, path: string, idempotencyKey: string, body: unknown, version?: number): Promise<{ id: string; version: number }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token(agency)}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    };
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    // The problem+json of the service names fields and rules, never values: safe to show.
    if (!response.ok)
      throw new Error(`demo data: POST ${path.replace(/[0-9a-f-]{36}/g, '{id}')} (${idempotencyKey}) answered ${response.status}: ${text.slice(0, 400)}`);
    return JSON.parse(text) as { id: string; version: number };
  }
}

const basis = (decisionNo: string, decisionDate: string, issuedBy: 'COMMUNE_CHAIR' | 'COURT' | 'FACILITY_DIRECTOR' | 'TREATMENT_FACILITY') => ({
  decisionNo,
  decisionDate,
  issuedBy,
});

/** What a scenario needs of the API: a POST with a fixed Idempotency-Key (a stub in the unit test). */
export type DemoPoster = Pick<DemoApi, 'post'>;

/**
 * Decision numbers as Decree 30/2020/NĐ-CP writes them (`số/QĐ-<issuing body>`), one number per
 * decision: the person's number for the first decision of each body, +100 for a second one of the
 * same body (post-rehab management, a term reduction), +200 for the management of a drug user, +50
 * for a court's second case.
 */
const decisionNo = (n: string, body: 'UBND' | 'TA' | 'CSCN' | 'TTYT', offset = 0): string => `${String(Number(n) + offset).padStart(2, '0')}/QĐ-${body}`;

/** Walks one case through its scenario, each step by the agency that would take it; `episode` names a person's second case. */
export async function runScenario(api: DemoPoster, person: DemoPerson, personId: string, scenario: Scenario, episode?: string): Promise<string> {
  const commune = communeAgency(person.commune);
  const communePolice = communePoliceAgency(person.commune);
  const langSon = provinceOfCommune(person.commune) === LANG_SON;
  const facility = langSon ? LANG_SON_FACILITY_AGENCY : FACILITY_AGENCY;
  const facilityId = langSon ? LANG_SON_FACILITY_ID : FACILITY_ID;
  const n = person.key.slice(1);
  const key = (step: string): string => (episode === undefined ? `demo-${person.key}-${step}` : `demo-${person.key}-${episode}-${step}`);
  let version = 0;
  let caseId = '';
  const register = async (agency: string, body: Record<string, unknown>): Promise<void> => {
    const created = await api.post(agency, '/api/v1/rehab-cases', key('register'), { personId, ...body });
    caseId = created.id;
    version = created.version;
  };
  const step = async (agency: string, path: string, body: Record<string, unknown>): Promise<void> => {
    version = (await api.post(agency, `/api/v1/rehab-cases/${caseId}/${path}`, key(path), body, version)).version;
  };
  const community = (decisionDate: string, termMonths: number, source = 'SELF_DECLARATION') =>
    register(commune, { source, form: 'VOLUNTARY_COMMUNITY', legalBasis: basis(decisionNo(n, 'UBND'), decisionDate, 'COMMUNE_CHAIR'), termMonths });
  const postRehab = (agency: string, decisionDate: string, startedOn: string) =>
    step(agency, 'post-rehab-management', { legalBasis: basis(decisionNo(n, 'UBND', 100), decisionDate, 'COMMUNE_CHAIR'), startedOn, termMonths: 12 });
  const note = (agency: string, notedOn: string, text: string) => step(agency, 'progress-notes', { notedOn, note: text });
  /** Compulsory rehab: the commune police compile the dossier (registration, determination), the court decides, the facility records it. */
  const compulsory = async (dates: { registeredOn: string; determinedOn: string; decidedOn: string }, termMonths: number, courtOffset = 0) => {
    await register(communePolice, { source: 'POLICE_DETECTION', registeredOn: dates.registeredOn });
    await step(communePolice, 'addiction-determination', { determinedOn: dates.determinedOn, facilityId: DETERMINATION_FACILITY_ID, result: 'ADDICTED' });
    await step(facility, 'form-decision', {
      form: 'COMPULSORY_FACILITY',
      legalBasis: basis(decisionNo(n, 'TA', courtOffset), dates.decidedOn, 'COURT'),
      termMonths,
      facilityId,
    });
  };
  /** A "not addicted" determination: the commune chair decides management of the illegal drug user, and the case names it at closure. */
  const notAddictedManaged = async (dates: { testedOn: string; registeredOn: string; determinedOn: string; decidedOn: string; startsOn: string }) => {
    await register(communePolice, { source: 'POLICE_DETECTION', registeredOn: dates.registeredOn });
    await step(communePolice, 'addiction-determination', {
      determinedOn: dates.determinedOn,
      facilityId: DETERMINATION_FACILITY_ID,
      result: 'ILLEGAL_USE_NOT_ADDICTION',
    });
    const management = await api.post(commune, '/api/v1/drug-user-managements', key('drug-user-management'), {
      personId,
      rehabCaseId: caseId,
      legalBasis: basis(decisionNo(n, 'UBND', 200), dates.decidedOn, 'COMMUNE_CHAIR'),
      positiveTestOn: dates.testedOn,
      startsOn: dates.startsOn,
    });
    await step(commune, 'closure', { closedOn: dates.startsOn, drugUserManagementId: management.id });
    return management;
  };

  switch (scenario) {
    case 'FORM_DECIDED_2026':
      await community('2026-10-05', 6, 'FAMILY');
      break;
    case 'IN_REHAB_2026':
      await community('2026-07-15', 12);
      await step(commune, 'start', { startedOn: '2026-07-20' });
      await note(commune, '2026-09-01', 'Tham gia đầy đủ các buổi tư vấn; gia đình hỗ trợ tốt.');
      break;
    case 'COMPLETED_2022':
      await community('2022-02-10', 6);
      await step(commune, 'start', { startedOn: '2022-02-15' });
      await note(commune, '2022-05-10', 'Tiến triển tốt, xét nghiệm âm tính.');
      await step(commune, 'completion', { completedOn: '2022-08-16' });
      break;
    case 'POST_REHAB_2022':
      await community('2022-01-20', 6, 'FAMILY');
      await step(commune, 'start', { startedOn: '2022-01-25' });
      await step(commune, 'completion', { completedOn: '2022-07-26' });
      await postRehab(commune, '2022-08-01', '2022-08-05');
      break;
    case 'POST_REHAB_ACROSS_LAWS':
      // Rehab decided under Law 73/2021, post-rehab management decided under Law 120/2025.
      await community('2025-11-20', 6);
      await step(commune, 'start', { startedOn: '2025-12-01' });
      await step(commune, 'completion', { completedOn: '2026-06-02' });
      await postRehab(commune, '2026-07-06', '2026-07-10');
      break;
    case 'CLOSED_2022':
      await community('2022-03-01', 6);
      await step(commune, 'start', { startedOn: '2022-03-07' });
      await step(commune, 'completion', { completedOn: '2022-09-08' });
      await postRehab(commune, '2022-09-15', '2022-09-20');
      await step(commune, 'closure', { closedOn: '2023-09-21' });
      break;
    case 'RELAPSED_2022':
      // The relapse falls within post-rehab management: the person's next course is compulsory (FOLLOW_UP_CASES).
      await community('2022-04-04', 6, 'POLICE_DETECTION');
      await step(commune, 'start', { startedOn: '2022-04-11' });
      await step(commune, 'completion', { completedOn: '2022-10-12' });
      await postRehab(commune, '2022-10-20', '2022-10-24');
      await step(communePolice, 'relapse', { detectedOn: '2023-02-14' });
      break;
    case 'COMPULSORY_AFTER_RELAPSE_2023':
      await compulsory({ registeredOn: '2023-02-15', determinedOn: '2023-02-20', decidedOn: '2023-03-07' }, 12, 50);
      await step(facility, 'start', { startedOn: '2023-03-13' });
      await step(facility, 'completion', { completedOn: '2024-03-13' });
      break;
    case 'FACILITY_DISCONTINUED_2022':
      await register(FACILITY_AGENCY, {
        source: 'FAMILY',
        form: 'VOLUNTARY_FACILITY',
        legalBasis: basis(decisionNo(n, 'CSCN'), '2022-05-09', 'FACILITY_DIRECTOR'),
        termMonths: 6,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2022-05-10' });
      await step(FACILITY_AGENCY, 'discontinuation', { discontinuedOn: '2022-07-03', reason: 'ABSCONDED' });
      await step(FACILITY_AGENCY, 'closure', { closedOn: '2022-12-30' });
      break;
    case 'FACILITY_DISCONTINUED_2026':
      await register(FACILITY_AGENCY, {
        source: 'FAMILY',
        form: 'VOLUNTARY_FACILITY',
        legalBasis: basis(decisionNo(n, 'CSCN'), '2026-07-13', 'FACILITY_DIRECTOR'),
        termMonths: 6,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2026-07-15' });
      await step(FACILITY_AGENCY, 'discontinuation', { discontinuedOn: '2026-09-21', reason: 'EXPELLED' });
      break;
    case 'FACILITY_REDUCED_COMPLETED_2022':
      // Decided after the Tết holidays of 2022 (29 January – 6 February), not on the first day of Tết.
      await register(FACILITY_AGENCY, {
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_FACILITY',
        legalBasis: basis(decisionNo(n, 'CSCN'), '2022-02-08', 'FACILITY_DIRECTOR'),
        termMonths: 12,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2022-02-09' });
      // A voluntary term is cut by the director who set it; a compulsory one only by the court.
      await step(FACILITY_AGENCY, 'term-reduction', { months: 3, legalBasis: basis(decisionNo(n, 'CSCN', 100), '2022-09-09', 'FACILITY_DIRECTOR') });
      await step(FACILITY_AGENCY, 'completion', { completedOn: '2022-11-09' });
      break;
    case 'FACILITY_IN_REHAB_2026':
      await register(FACILITY_AGENCY, {
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_FACILITY',
        legalBasis: basis(decisionNo(n, 'CSCN'), '2026-08-03', 'FACILITY_DIRECTOR'),
        termMonths: 18,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2026-08-05' });
      await note(FACILITY_AGENCY, '2026-10-01', 'Ổn định sức khỏe, tham gia lao động trị liệu.');
      break;
    case 'COMPULSORY_2026':
      // Compulsory: registered without a form, determination, then the court decision recorded by the facility.
      await register(FACILITY_AGENCY, { source: 'POLICE_DETECTION', registeredOn: '2026-07-20' });
      await step(FACILITY_AGENCY, 'addiction-determination', { determinedOn: '2026-07-23', facilityId: DETERMINATION_FACILITY_ID, result: 'ADDICTED' });
      await step(FACILITY_AGENCY, 'form-decision', {
        form: 'COMPULSORY_FACILITY',
        legalBasis: basis(decisionNo(n, 'TA'), '2026-08-12', 'COURT'),
        termMonths: 24,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2026-08-20' });
      break;
    case 'COMPULSORY_AWAITING_ADMISSION_2026':
      // The court has decided; the commune refers the person to the facility for admission (referrals demo, r01).
      await compulsory({ registeredOn: '2026-10-12', determinedOn: '2026-10-15', decidedOn: '2026-11-10' }, 24);
      break;
    case 'COMPULSORY_2022_POST_REHAB':
      await register(FACILITY_AGENCY, { source: 'POLICE_DETECTION', registeredOn: '2022-02-07' });
      await step(FACILITY_AGENCY, 'addiction-determination', { determinedOn: '2022-02-09', facilityId: DETERMINATION_FACILITY_ID, result: 'ADDICTED' });
      await step(FACILITY_AGENCY, 'form-decision', {
        form: 'COMPULSORY_FACILITY',
        legalBasis: basis(decisionNo(n, 'TA'), '2022-03-01', 'COURT'),
        termMonths: 12,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2022-03-05' });
      await step(FACILITY_AGENCY, 'completion', { completedOn: '2023-03-06' });
      // Post-rehab management is decided by the residence commune, also for a facility case.
      await postRehab(commune, '2023-03-10', '2023-03-13');
      break;
    case 'NOT_ADDICTED_MANAGED_2026':
      await notAddictedManaged({
        testedOn: '2026-09-04',
        registeredOn: '2026-09-07',
        determinedOn: '2026-09-09',
        decidedOn: '2026-09-14',
        startsOn: '2026-09-15',
      });
      break;
    case 'LS_NOT_ADDICTED_MANAGED_2026': {
      const management = await notAddictedManaged({
        testedOn: '2026-08-06',
        registeredOn: '2026-08-07',
        determinedOn: '2026-08-11',
        decidedOn: '2026-08-17',
        startsOn: '2026-08-18',
      });
      // The commune police test the person during management (a negative test leaves the term as it is).
      await api.post(
        communePolice,
        `/api/v1/drug-user-managements/${management.id}/drug-tests`,
        key('drug-test'),
        { testedOn: '2026-11-16', positive: false },
        0,
      );
      break;
    }
    case 'METHADONE_2022':
      await register(HEALTH_AGENCY, {
        source: 'SELF_DECLARATION',
        form: 'SUBSTITUTION_THERAPY',
        legalBasis: basis(decisionNo(n, 'TTYT'), '2022-06-01', 'TREATMENT_FACILITY'),
      });
      await step(HEALTH_AGENCY, 'start', { startedOn: '2022-06-02' });
      await note(HEALTH_AGENCY, '2022-12-01', 'Duy trì liều methadone ổn định.');
      break;
    case 'METHADONE_2026':
      await register(HEALTH_AGENCY, {
        source: 'SELF_DECLARATION',
        form: 'SUBSTITUTION_THERAPY',
        legalBasis: basis(decisionNo(n, 'TTYT'), '2026-07-08', 'TREATMENT_FACILITY'),
      });
      await step(HEALTH_AGENCY, 'start', { startedOn: '2026-07-09' });
      break;
    case 'CEDEMEX_2022':
      // At the provincial facility, one of the pilot's sites.
      await register(FACILITY_AGENCY, {
        source: 'SELF_DECLARATION',
        form: 'CEDEMEX_PILOT',
        legalBasis: basis(decisionNo(n, 'CSCN'), '2022-04-15', 'FACILITY_DIRECTOR'),
        termMonths: 6,
        facilityId: FACILITY_ID,
      });
      await step(FACILITY_AGENCY, 'start', { startedOn: '2022-04-18' });
      await step(FACILITY_AGENCY, 'completion', { completedOn: '2022-10-18' });
      break;
    case 'CEDEMEX_COMMUNE_2022':
      // A pilot commune (Cẩm Phả) registers its own Cedemex case within the pilot year.
      await register(commune, {
        source: 'SELF_DECLARATION',
        form: 'CEDEMEX_PILOT',
        legalBasis: basis(decisionNo(n, 'UBND'), '2022-05-16', 'COMMUNE_CHAIR'),
        termMonths: 6,
      });
      await step(commune, 'start', { startedOn: '2022-05-18' });
      await step(commune, 'completion', { completedOn: '2022-11-18' });
      break;
    case 'MINOR_COMMUNITY_2026':
      // 16 on the decision date: a minor's voluntary term (6–12 months).
      await community('2026-08-24', 6, 'FAMILY');
      await step(commune, 'start', { startedOn: '2026-08-26' });
      break;
    case 'MINOR_COMPULSORY_2026':
      // 17 on the court's decision date: compulsory rehab for minors (from full 12), 6–12 months.
      await compulsory({ registeredOn: '2026-10-05', determinedOn: '2026-10-08', decidedOn: '2026-10-22' }, 9);
      await step(facility, 'start', { startedOn: '2026-10-28' });
      break;
    case 'LS_COMPULSORY_2022':
      await compulsory({ registeredOn: '2022-06-06', determinedOn: '2022-06-09', decidedOn: '2022-06-24' }, 18);
      await step(facility, 'start', { startedOn: '2022-06-29' });
      await step(facility, 'completion', { completedOn: '2023-12-29' });
      await postRehab(commune, '2024-01-03', '2024-01-05');
      break;
    case 'LS_COMMUNITY_2026':
      await community('2026-07-22', 9, 'SELF_DECLARATION');
      await step(commune, 'start', { startedOn: '2026-07-27' });
      break;
  }
  return caseId;
}

/** The agency that registers each scenario's case (the first step of runScenario). */
function registrarOf(person: DemoPerson, scenario: Scenario): string {
  if (scenario === 'METHADONE_2022' || scenario === 'METHADONE_2026') return HEALTH_AGENCY;
  if (
    scenario === 'COMPULSORY_AWAITING_ADMISSION_2026' ||
    scenario === 'COMPULSORY_AFTER_RELAPSE_2023' ||
    scenario === 'MINOR_COMPULSORY_2026' ||
    scenario === 'LS_COMPULSORY_2022' ||
    scenario === 'NOT_ADDICTED_MANAGED_2026' ||
    scenario === 'LS_NOT_ADDICTED_MANAGED_2026'
  )
    return communePoliceAgency(person.commune);
  if (scenario.startsWith('FACILITY_') || scenario.startsWith('COMPULSORY_') || scenario === 'CEDEMEX_2022') return FACILITY_AGENCY;
  return communeAgency(person.commune);
}

function demoPerson(key: string): DemoPerson {
  const person = PERSONS.find((p) => p.key === key);
  if (!person) throw new Error(`demo data: no person ${key}`);
  return person;
}

/**
 * A demo person's id, derived (as the service does) from the registering commune and the fixed
 * Idempotency-Key; published to later loaders (the referrals demo) as facts, so they name persons
 * without reading personal data back.
 */
export function demoPersonId(key: string): string {
  return personIdFor(communeAgency(demoPerson(key).commune), `demo-${key}-person`);
}

/** The id of a demo person's rehab case, derived the same way; throws for a person without one. */
export function demoCaseId(key: string): string {
  const scenario = CASES.find(([k]) => k === key)?.[1];
  if (!scenario) throw new Error(`demo data: ${key} has no rehab case`);
  return caseIdFor(registrarOf(demoPerson(key), scenario), `demo-${key}-register`);
}

/** The id of a demo person's second case (FOLLOW_UP_CASES), derived the same way. */
export function demoFollowUpCaseId(key: string): string {
  const scenario = FOLLOW_UP_CASES.find(([k]) => k === key)?.[1];
  if (!scenario) throw new Error(`demo data: ${key} has no second case`);
  return caseIdFor(registrarOf(demoPerson(key), scenario), `demo-${key}-${FOLLOW_UP_EPISODE}-register`);
}

/** The id of the management of an illegal drug user decided for a demo person (the scenarios that find one "not addicted"). */
export function demoDrugUserManagementId(key: string): string {
  return drugUserManagementIdFor(communeAgency(demoPerson(key).commune), `demo-${key}-drug-user-management`);
}

/** The first case (p01, voluntary community rehab in 06793, registered by its commune): the marker. */
function sampleCaseIdOf(): string {
  return demoCaseId((CASES[0] as readonly [string, Scenario])[0]);
}

const inDemoCommune = PERSONS.filter((p) => p.commune === DEMO_COMMUNE).length;

async function personsInDemoCommune(api: DemoApi): Promise<number> {
  const page = (await api.get(communeAgency(DEMO_COMMUNE), `/api/v1/persons?communeCode=${DEMO_COMMUNE}`)) as { total: number };
  return page.total;
}

/**
 * Loads the demo data unless the commune officer of 06793 already sees persons. Returns what it
 * did; throws with a message naming the step (never personal data) when the service refuses one.
 */
export async function loadDemoData(casesUrl: string): Promise<DemoDataResult> {
  const known = new Set([...listCommunes(PROVINCE), ...listCommunes(LANG_SON)].map((unit) => unit.code));
  const unknown = DEMO_COMMUNES.filter((code) => !known.has(code));
  if (unknown.length > 0) throw new Error(`demo data: commune codes no longer in force: ${unknown.join(', ')}`);

  const api = new DemoApi(casesUrl);
  // The sample case's id is derived from its registering agency and fixed key (as the service does).
  const sampleCaseId = sampleCaseIdOf();
  if (await api.caseExists(communeAgency(DEMO_COMMUNE), sampleCaseId)) {
    return { loaded: false, persons: PERSONS.length, cases: CASES.length + FOLLOW_UP_CASES.length, sampleCaseId };
  }
  const ids = new Map<string, string>();
  await eachLimited(PERSONS, 4, async (person) => {
    const created = await api.post(communeAgency(person.commune), '/api/v1/persons', `demo-${person.key}-person`, {
      fullName: person.fullName,
      ...(person.withId ? { personalId: demoPersonalId(person) } : {}),
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      residence: { provinceCode: provinceOfCommune(person.commune), communeCode: person.commune, address: person.address },
      ...(person.phone === undefined ? {} : { phone: person.phone }),
    });
    ids.set(person.key, created.id);
  });
  const runCase = async ([key, scenario]: readonly [string, Scenario]): Promise<string> => {
    const caseId = await runScenario(api, demoPerson(key), ids.get(key) as string, scenario);
    // Other loaders derive case ids with demoCaseId: a scenario registered by another agency would break them.
    if (caseId !== demoCaseId(key)) throw new Error(`demo data: the case of ${key} is not the one demoCaseId derives`);
    return caseId;
  };
  // The sample case last: its existence is the marker. Second cases after the first ones (a relapse comes before).
  await eachLimited(CASES.slice(1), 4, runCase);
  await eachLimited(FOLLOW_UP_CASES, 4, async ([key, scenario]) => {
    const caseId = await runScenario(api, demoPerson(key), ids.get(key) as string, scenario, FOLLOW_UP_EPISODE);
    if (caseId !== demoFollowUpCaseId(key)) throw new Error(`demo data: the second case of ${key} is not the one demoFollowUpCaseId derives`);
  });
  const written = await runCase(CASES[0] as readonly [string, Scenario]);
  if (written !== sampleCaseId) throw new Error('demo data: the sample case id is not the one derived from its key');
  // The persons list is a read model: wait (briefly) until it shows what was written, so the
  // printed tokens work at once.
  const deadline = Date.now() + 10_000;
  while ((await personsInDemoCommune(api)) < inDemoCommune && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { loaded: true, persons: PERSONS.length, cases: CASES.length + FOLLOW_UP_CASES.length, sampleCaseId };
}

/**
 * The cases service's demo for `npm start`: loads it (first start only), and publishes the ids of
 * the demo persons and cases by key, with the demo commune, for the loaders of later services.
 */
export async function casesDemo(context: DemoContext): Promise<DemoResult> {
  const casesUrl = context.urls['cases'] as string;
  const started = Date.now();
  const demo = await loadDemoData(casesUrl);
  const lines = [
    demo.loaded
      ? `  demo data  loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${demo.persons} persons, ${demo.cases} rehab cases (Quảng Ninh and Lạng Sơn; 2022 to 2026), 2 managements of illegal drug users`
      : '  demo data  already present (loaded on the first start)',
    `  demo case  ${demo.sampleCaseId}`,
    ...tokenLines(casesUrl, await demoTokens(), demo.sampleCaseId),
  ];
  const personIds = Object.fromEntries(PERSONS.map((p) => [p.key, demoPersonId(p.key)]));
  const caseIds = Object.fromEntries(CASES.map(([key]) => [key, demoCaseId(key)]));
  // A person's second case under `<key>-${FOLLOW_UP_EPISODE}`.
  const followUpCaseIds = Object.fromEntries(FOLLOW_UP_CASES.map(([key]) => [`${key}-${FOLLOW_UP_EPISODE}`, demoFollowUpCaseId(key)]));
  return { lines, facts: { commune: DEMO_COMMUNE, personIds, caseIds: { ...caseIds, ...followUpCaseIds } } };
}
