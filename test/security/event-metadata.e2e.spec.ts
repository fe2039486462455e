/**
 * Issue 10 §12 (invariant 7), through a real HTTP append: the event a command appends carries the
 * actor, the agency, the correlation id, the causation id (the request's correlation id) and a
 * command id of its own, fresh for each command request.
 */
import { signDevToken } from '@haidang/auth';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { sampleMigrations, startSampleService } from './sample-service';

jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('event metadata of an HTTP command', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool);
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  const register = async (headers: Record<string, string>) => {
    const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'], sub: 'officer-meta' });
    const response = await fetch(`${sample.url}/api/v1/persons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ fullName: 'Lý Thị Siêu Dữ Liệu', personalId: '022090006666', residenceCommuneCode: '06793' }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const { rows } = await database.pool.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM es_events WHERE stream_name = $1`, [
      `Person-${id}`,
    ]);
    expect(rows).toHaveLength(1);
    return { metadata: rows[0]?.metadata ?? {}, correlationId: response.headers.get('x-correlation-id') };
  };

  it('records causationId and a fresh commandId beside actor, agency and correlation id', async () => {
    const first = await register({ 'x-correlation-id': 'flow-meta-1' });
    expect(first.metadata).toMatchObject({
      actor: 'officer-meta',
      agency: '22-COMMUNE-06793',
      correlationId: 'flow-meta-1',
      causationId: 'flow-meta-1',
      commandId: expect.stringMatching(UUID),
    });
    const second = await register({ 'x-correlation-id': 'flow-meta-1' });
    expect(second.metadata['commandId']).toMatch(UUID);
    expect(second.metadata['commandId']).not.toBe(first.metadata['commandId']);
  });

  it('uses the generated correlation id as the causation id when the client sends none', async () => {
    const { metadata, correlationId } = await register({});
    expect(correlationId).toMatch(UUID);
    expect(metadata).toMatchObject({ correlationId, causationId: correlationId, commandId: expect.stringMatching(UUID) });
    expect(metadata['commandId']).not.toBe(correlationId);
  });
});
