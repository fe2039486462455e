import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@haidang/event-store';
import { encodeEvent, eventHeaders, type EventBus, type OutgoingMessage } from '@haidang/messaging';

export const PLAN_146_ID = '7a3c2d1e-0b4f-4c6a-9e8d-146146146146';

/** Plan 146's targets as campaigns publishes them (a few of them). */
export const PLAN_146_TARGETS = [
  { indicator: 'REHAB_ADMISSIONS', value: 900 },
  { indicator: 'REHAB_ADMISSIONS_FACILITY', value: 750 },
  { indicator: 'REHAB_ADMISSIONS_COMMUNITY', value: 150 },
  { indicator: 'JOBS_PLACED', value: 420 },
].map(({ indicator, value }) => ({
  indicator,
  numerator: `${indicator} in the period`,
  denominator: null,
  kind: 'COUNT',
  comparison: 'AT_LEAST',
  value,
  unitLevel: 'PROVINCE',
  span: 'PERIOD',
  countedEvents: ['cases.RehabStarted.v1'],
}));

export const planAdopted = (occurredAt: string) => ({
  type: 'campaigns.PlanAdopted.v1',
  version: 1,
  eventId: randomUUID(),
  occurredAt,
  planId: PLAN_146_ID,
  provinceCode: '22',
  issuedBy: '22-PPC',
  number: '146/KH-UBND',
  issuedOn: '2022-05-20',
  leadAgency: '22-DOLISA',
  periodFrom: '2022-05-20',
  periodTo: '2022-12-31',
  parentPlanId: null,
  targets: [
    ...PLAN_146_TARGETS,
    {
      indicator: 'COMMUNES_WITH_ACTIVITY',
      numerator: 'communes with an activity',
      denominator: 'communes',
      kind: 'PERCENT',
      comparison: 'AT_LEAST',
      value: 100,
      unitLevel: 'COMMUNE',
      span: 'PERIOD',
      countedEvents: ['campaigns.ActivityRecorded.v1'],
    },
  ],
});

export const rehabStarted = (occurredAt: string, communeCode: string, form: string, startedOn = '2022-07-04', caseId = randomUUID()) => ({
  type: 'cases.RehabStarted.v1',
  version: 1,
  eventId: randomUUID(),
  caseId,
  personId: randomUUID(),
  form,
  communeCode,
  recordedByAgency: form.endsWith('FACILITY') ? '22-REHAB_FACILITY-1' : `22-COMMUNE-${communeCode}`,
  occurredAt,
  startedOn,
  expectedEndOn: '2022-08-15',
});

export const activityRecorded = (occurredAt: string, communeCode: string, activityId = randomUUID()) => ({
  type: 'campaigns.ActivityRecorded.v1',
  version: 1,
  eventId: randomUUID(),
  occurredAt,
  activityId,
  provinceCode: '22',
  communeCodes: [communeCode],
  organiser: `22-COMMUNE-${communeCode}`,
  heldOn: '2022-07-10',
  form: 'MEETING',
  venueType: 'RESIDENTIAL_AREA',
  audienceType: 'GENERAL_PUBLIC',
  audienceCount: 80,
  campaignMonth: null,
  planId: PLAN_146_ID,
  establishmentIds: [],
});

export const referralAccepted = (occurredAt: string, caseId: string) => ({
  type: 'referrals.ReferralAccepted.v1',
  version: 1,
  eventId: randomUUID(),
  referralId: randomUUID(),
  personId: randomUUID(),
  caseId,
  serviceType: 'COUNSELLING',
  fromAgency: '22-COMMUNE-06793',
  toAgency: '22-SUPPORT_MODEL-3',
  acceptedOn: '2022-07-20',
  occurredAt,
});

/** Publishes contract payloads as the outbox of `service` would: on `<prefix>.<service>.<Event>.v<N>`. */
export async function publishIntegration(bus: EventBus, prefix: string, payloads: readonly Record<string, unknown>[]): Promise<void> {
  const messages: OutgoingMessage[] = payloads.map((data) => {
    const type = String(data['type']);
    const [service, name, version] = type.split('.');
    const event: RecordedEvent = {
      id: randomUUID(),
      type,
      schemaVersion: 1,
      streamId: `${service}`,
      revision: 0n,
      position: { commit: 0n, prepare: 0n },
      created: new Date(String(data['occurredAt'] ?? new Date().toISOString())),
      data: data as RecordedEvent['data'],
      metadata: {},
    };
    return { subject: `${prefix}.${service}.${name}.${version}`, data: encodeEvent(event), msgId: event.id, headers: eventHeaders(event) };
  });
  const publisher = await bus.openPublisher();
  try {
    await publisher.publishBatch(messages);
  } finally {
    await publisher.close();
  }
}
