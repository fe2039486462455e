import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { validateCasesIntegrationEvent } from '@haidang/contracts';
import { START, type RecordedEvent } from '@haidang/event-store';
import { encodeEvent, integrationSubject, parseIntegrationEventType, type EventBus } from '@haidang/messaging';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, type ServiceDefinition } from '@haidang/service-kit';

/**
 * What the exports' and the dashboard's tests feed the projections service with: integration events
 * on the event bus — from the campaigns service through its own API, or in the contract's form for
 * cases (publishRehabStarts) — never rows written into its tables by hand.
 */

/** Another service's descriptor, found at run time as `npm start` finds it (apps are not libraries to import). */
export function descriptorOf(name: string): ServiceDefinition {
  const loaded = require(join(__dirname, '..', '..', '..', name, DESCRIPTOR_FILE)) as { service: ServiceDefinition };
  return loaded.service;
}

export const migrationsOf = (service: ServiceDefinition) => [...PLATFORM_MIGRATIONS, ...(service.migrations ?? [])];

/** A cell as `GET /api/v1/indicators` answers it (the port's IndicatorCell, as JSON). */
export interface ApiCell {
  readonly code: string;
  readonly labelVi: string;
  readonly labelEn: string;
  readonly unitLevel: string;
  readonly unitCode: string;
  readonly unitName: string;
  readonly period: { readonly kind: string; readonly label: string; readonly from: string; readonly to: string };
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly target: { readonly unit: 'PERCENT' | 'COUNT'; readonly comparison: 'AT_LEAST' | 'MORE_THAN'; readonly value: number } | null;
  readonly shareAchieved: number | null;
  readonly suppressed: boolean;
}

/** The cells of an answer of `GET /api/v1/indicators`, a list or a list in an envelope. */
export function cellsOf(body: unknown): ApiCell[] {
  if (Array.isArray(body)) return body as ApiCell[];
  const envelope = body as Record<string, unknown> | null;
  for (const key of ['items', 'cells', 'indicators']) if (Array.isArray(envelope?.[key])) return envelope?.[key] as ApiCell[];
  throw new Error(`Not a list of indicator cells: ${JSON.stringify(body).slice(0, 200)}`);
}

export async function getJson(url: string, token: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/**
 * `1.234,5` (vi) or `1,234.5` (en) back to 1234.5: what the page shows, read as a number. Undefined
 * for the empty text; NaN for anything else, so that a comparison fails.
 */
export function numberShown(text: string, language: 'vi' | 'en'): number | undefined {
  const trimmed = text
    .replace(/%$/, '')
    .replace(/^[≥>]\s*/, '')
    .trim();
  if (trimmed === '') return undefined;
  const plain = language === 'vi' ? trimmed.replace(/\./g, '').replace(',', '.') : trimmed.replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : Number.NaN;
}

/** A small plan of province 22 for 2022: every commune to hold an activity (100 %), and 900 rehab admissions. */
export const SMALL_PLAN = {
  issuedBy: '22-PPC',
  number: '7/KH-TEST',
  issuedOn: '2022-01-10',
  title: 'Kế hoạch thử nghiệm xuất số liệu năm 2022',
  leadAgency: '22-DOLISA',
  periodFrom: '2022-01-01',
  periodTo: '2022-12-31',
  targets: [
    {
      indicator: 'COMMUNES_WITH_ACTIVITY',
      numerator: 'communes that held at least one communication activity in the period',
      denominator: 'communes of the province',
      kind: 'PERCENT',
      comparison: 'AT_LEAST',
      value: 100,
      unitLevel: 'COMMUNE',
      span: 'PERIOD',
      countedEvents: ['campaigns.ActivityRecorded.v1', 'campaigns.ActivityWithdrawn.v1'],
    },
    {
      indicator: 'REHAB_ADMISSIONS',
      numerator: 'rehab admissions started in the period',
      denominator: null,
      kind: 'COUNT',
      comparison: 'AT_LEAST',
      value: 900,
      unitLevel: 'PROVINCE',
      span: 'PERIOD',
      countedEvents: ['cases.RehabStarted.v1'],
    },
  ],
};

/** Posts to the campaigns API as `agency` (a caseworker of it), under an Idempotency-Key; throws unless 2xx. */
export async function postToCampaigns(
  url: string,
  agency: string,
  units: readonly string[],
  path: string,
  key: string,
  body: unknown,
  token: (agency: string, units: readonly string[]) => Promise<string>,
): Promise<{ id: string }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(agency, units)}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`campaigns ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { id: string };
}

/** A meeting held in a commune by its own People's Committee, counted toward `planId`. */
export function meetingIn(communeCode: string, heldOn: string, planId: string): Record<string, unknown> {
  return {
    communeCodes: [communeCode],
    heldOn,
    form: 'MEETING',
    venueType: 'RESIDENTIAL_AREA',
    audienceType: 'GENERAL_PUBLIC',
    audienceCount: 60,
    campaignMonth: null,
    planId,
  };
}

/**
 * `cases.RehabStarted.v1` events as the cases service's outbox publishes them (`int.cases.…`, the
 * event in the payload, its id as the message id), each checked against libs/contracts first. For
 * persons' counts in a test without running cases: its demo is for `npm start`, and its rules move.
 */
export async function publishRehabStarts(
  bus: EventBus,
  starts: readonly { readonly communeCode: string; readonly startedOn: string; readonly count: number }[],
): Promise<number> {
  const events = starts.flatMap(({ communeCode, startedOn, count }) =>
    Array.from({ length: count }, () => ({
      type: 'cases.RehabStarted.v1',
      version: 1,
      eventId: randomUUID(),
      caseId: randomUUID(),
      personId: randomUUID(),
      form: 'VOLUNTARY_COMMUNITY',
      communeCode,
      recordedByAgency: `22-COMMUNE-${communeCode}`,
      occurredAt: `${startedOn}T09:00:00.000Z`,
      startedOn,
      expectedEndOn: null,
    })),
  );
  for (const event of events) {
    const checked = validateCasesIntegrationEvent(event);
    if (!checked.ok) throw new Error(`not a cases integration event: ${checked.errors.join('; ')}`);
  }
  const publisher = await bus.openPublisher();
  try {
    await publisher.publishBatch(
      events.map((data, i) => {
        const { service, eventName, version } = parseIntegrationEventType(data.type);
        const recorded: RecordedEvent = {
          id: data.eventId,
          type: data.type,
          schemaVersion: version,
          streamId: `RehabCase-${data.caseId}`,
          revision: BigInt(i),
          position: START,
          created: new Date(data.occurredAt),
          data,
          metadata: {},
        };
        return { subject: integrationSubject(service, eventName, version), data: encodeEvent(recorded), msgId: recorded.id, headers: {} };
      }),
    );
  } finally {
    await publisher.close();
  }
  return events.length;
}
