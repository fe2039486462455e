/**
 * The employment service's integration events, as another service receives them from the bus:
 * each step that has one publishes it once, in the contract's shape (validated), with ids and codes
 * only — none of the free text, nor the certificate number.
 */
import { signDevToken } from '@haidang/auth';
import { validateJobFollowUpRecordedV1, validateJobStartedV1, validateRecordClosedV1, validateTrainingCompletedV1, type Validation } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { InMemoryDeadLetters, InProcessEventBus, integrationSubject, silentLogger, type DurableConsumer } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { employmentMigrations, startEmploymentService, type EmploymentService } from '../employment-service';

jest.setTimeout(120_000);

const NOW = new Date('2027-06-30T03:00:00Z');
const VALIDATORS: Record<string, (value: unknown) => Validation<unknown>> = {
  'employment.TrainingCompleted.v1': validateTrainingCompletedV1,
  'employment.JobStarted.v1': validateJobStartedV1,
  'employment.JobFollowUpRecorded.v1': validateJobFollowUpRecordedV1,
  'employment.RecordClosed.v1': validateRecordClosedV1,
};

describe('employment integration events', () => {
  let database: TestDatabase;
  let bus: InProcessEventBus;
  let running: EmploymentService;
  let consumer: DurableConsumer;
  const received: RecordedEvent[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: employmentMigrations });
    bus = new InProcessEventBus();
    consumer = await bus.consume({
      durable: 'test-employment-events',
      filterSubjects: ['TrainingCompleted', 'JobStarted', 'JobFollowUpRecorded', 'RecordClosed'].map((name) => integrationSubject('employment', name, 1)),
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (message) => {
        received.push(message);
      },
    });
    running = await startEmploymentService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', bus, clock: () => NOW });
  });
  afterAll(async () => {
    await running?.stop();
    await consumer?.stop();
    await bus?.close();
    await database?.drop();
  });

  it('publishes TrainingCompleted, JobStarted, JobFollowUpRecorded and RecordClosed once each, valid and without personal text', async () => {
    const centre = await signDevToken({ agency: '22-EMPLOYMENT_CENTRE', roles: ['caseworker'], units: ['22'] });
    const post = async (path: string, body: unknown, ifMatch?: string) => {
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${centre}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    const get = async (path: string) =>
      (await (await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${centre}` } })).json()) as Record<string, unknown>;
    const providerId = (
      await post('/api/v1/training-providers', {
        name: 'Trung tâm GDNN Cẩm Phả',
        kind: 'VOCATIONAL_CENTRE',
        communeCode: '06793',
        capacity: 60,
        registeredOn: '2026-08-01',
      })
    ).id;
    const employerId = (
      await post('/api/v1/employers', {
        name: 'Công ty Than Cọc Sáu',
        taxCode: '5700100256',
        communeCode: '06793',
        sector: 'MINING',
        registeredOn: '2026-08-01',
      })
    ).id;
    const personId = crypto.randomUUID();
    const { id } = await post('/api/v1/employment-records', {
      personId,
      communeCode: '06793',
      openedOn: '2026-08-03',
      need: 'WANTS_TRAINING',
      skills: 'Biết lái máy xúc',
    });
    const steps = `/api/v1/employment-records/${id}`;
    await post(
      `${steps}/enrolments`,
      { tradeCode: 'WELDING', providerId, level: 'UNDER_3_MONTHS', startOn: '2026-09-01', expectedEndOn: '2026-11-30', funding: 'LOAN' },
      '"0"',
    );
    const enrolmentId = ((await get(steps)).enrolments as { enrolmentId: string }[])[0]?.enrolmentId as string;
    await post(`${steps}/training-completions`, { enrolmentId, completedOn: '2026-11-28', certificateNumber: 'QN-CERT-777' }, '"1"');
    await post(
      `${steps}/placements`,
      { employerId, jobTitle: 'Thợ hàn', contractType: 'INDEFINITE', startOn: '2026-12-01', wageBand: '6M_TO_8M', loan: null },
      '"2"',
    );
    const placementId = ((await get(steps)).placements as { placementId: string }[])[0]?.placementId as string;
    await post(`${steps}/follow-ups`, { placementId, month: 3, checkedOn: '2027-03-01', stillWorking: true }, '"3"');
    await post(`${steps}/closure`, { closedOn: '2027-06-30', outcome: 'EMPLOYED' }, '"4"');

    await waitFor(() => received.length >= 4, { timeoutMs: 15_000, description: 'four integration events' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.map((m) => m.type)).toEqual([
      'employment.TrainingCompleted.v1',
      'employment.JobStarted.v1',
      'employment.JobFollowUpRecorded.v1',
      'employment.RecordClosed.v1',
    ]);
    for (const message of received) {
      const validate = VALIDATORS[message.type] as (value: unknown) => Validation<unknown>;
      expect(validate(message.data)).toMatchObject({ ok: true });
      expect(message.data).toMatchObject({ recordId: id, personId, communeCode: '06793', provinceCode: '22' });
      expect(JSON.stringify(message.data)).not.toMatch(/máy xúc|QN-CERT-777|Thợ hàn/);
    }
    expect(received[0]?.data).toMatchObject({
      enrolmentId,
      providerId,
      tradeCode: 'WELDING',
      level: 'UNDER_3_MONTHS',
      funding: 'LOAN',
      startOn: '2026-09-01',
      completedOn: '2026-11-28',
    });
    expect(received[1]?.data).toMatchObject({
      placementId,
      employerId,
      contractType: 'INDEFINITE',
      wageBand: '6M_TO_8M',
      withPreferentialLoan: false,
      startOn: '2026-12-01',
    });
    expect(received[2]?.data).toMatchObject({ placementId, month: 3, checkedOn: '2027-03-01', stillWorking: true });
    expect(received[3]?.data).toMatchObject({ outcome: 'EMPLOYED', closedOn: '2027-06-30' });
    expect(validateJobStartedV1({ ...(received[1]?.data as object), wageBand: 'LOTS' })).toMatchObject({ ok: false });
  });
});
