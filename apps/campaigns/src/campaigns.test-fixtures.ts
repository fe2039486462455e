import { signDevToken } from '@haidang/auth';
import type { Role } from '@haidang/request-context';

export type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

/** HTTP helpers for the campaigns integration tests: one token per agency, problem+json read as JSON. */
export function httpClient(baseUrl: () => string) {
  const token = (agency: string, units: readonly string[], roles: readonly Role[] = ['caseworker']) =>
    signDevToken({ agency, roles: [...roles], units: [...units] });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${baseUrl()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  return { token, call };
}

/** The fields a 400 problem names. */
export const fieldsOf = (reply: Reply): string[] => ((reply.body.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);

export const TARGET_ACTIVITY = {
  indicator: 'COMMUNES_WITH_ACTIVITY',
  numerator: 'communes that held at least one communication activity in the period',
  denominator: 'communes of the province',
  kind: 'PERCENT',
  comparison: 'AT_LEAST',
  value: 100,
  unitLevel: 'COMMUNE',
  span: 'PERIOD',
  countedEvents: ['campaigns.ActivityRecorded.v1'],
};

export const PLAN_146 = {
  issuedBy: '22-PPC',
  number: '146/KH-UBND',
  issuedOn: '2022-05-20',
  title: 'Cai nghiện ma túy và quản lý sau cai nghiện ma túy năm 2022',
  leadAgency: '22-DOLISA',
  periodFrom: '2022-01-01',
  periodTo: '2022-12-31',
  targets: [TARGET_ACTIVITY],
};

export const MEETING = {
  communeCodes: ['06793'],
  heldOn: '2022-06-26',
  form: 'MEETING',
  venueType: 'RESIDENTIAL_AREA',
  audienceType: 'GENERAL_PUBLIC',
  audienceCount: 120,
  campaignMonth: 'DRUG_PREVENTION_MONTH',
};

export const ARTICLE = {
  communeCodes: [],
  heldOn: '2022-06-27',
  form: 'ARTICLE',
  venueType: 'MEDIA',
  audienceType: 'GENERAL_PUBLIC',
  audienceCount: 0,
  article: {
    outlet: 'Cổng thông tin điện tử tỉnh Quảng Ninh',
    outletLevel: 'PROVINCIAL',
    title: 'Quảng Ninh hưởng ứng Tháng hành động phòng, chống ma túy',
    url: 'https://www.quangninh.gov.vn/bai-viet/1',
  },
};
