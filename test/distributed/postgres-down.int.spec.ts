/**
 * Drill (issue 18, point 4): PostgreSQL stopped under a running service. Every command is answered
 * 503 with Retry-After (DESIGN invariant 4: never a 500 for a dependency that is down), nothing is
 * half-recorded, and commands work again once PostgreSQL is back, without a restart.
 */
import { signDevToken } from '@haidang/auth';
import { startPostgresServer, waitFor, type PostgresServerHandle } from '@haidang/testing';
import { startCasesService, type CasesService } from '../../apps/cases/src/cases-service';

jest.setTimeout(120_000);

describe('distributed mode: PostgreSQL down under a running service', () => {
  let postgres: PostgresServerHandle;
  let cases: CasesService;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    cases = await startCasesService({ databaseUrl: postgres.url, port: 0, logLevel: 'silent', natsUrl: '' });
  });
  afterAll(async () => {
    await cases?.stop().catch(() => undefined);
    await postgres?.destroy();
  });

  it('answers 503 with Retry-After while it is down, and takes commands again when it is back', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const register = (key: string) =>
      fetch(`${cases.url}/api/v1/persons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${commune}`, 'idempotency-key': key },
        body: JSON.stringify({
          fullName: 'Phạm Văn Dũng',
          dateOfBirth: '1989-07-08',
          sex: 'MALE',
          residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 7, khu 3' },
        }),
      });
    expect((await register('pg-down-before-1')).status).toBe(201);

    await postgres.stop();
    for (const key of ['pg-down-during-1', 'pg-down-during-2', 'pg-down-during-3']) {
      const answer = await register(key);
      expect([answer.status, answer.headers.get('retry-after'), answer.headers.get('content-type')]).toEqual([
        503,
        '5',
        expect.stringContaining('application/problem+json'),
      ]);
      expect(((await answer.json()) as { type: string }).type).toMatch(/database-unavailable/);
    }

    await postgres.restart();
    // The same Idempotency-Key as a refused try: recorded once, now.
    await waitFor(async () => (await register('pg-down-during-1')).status === 201, {
      timeoutMs: 30_000,
      intervalMs: 500,
      description: 'commands once PostgreSQL is back',
    });
    expect((await register('pg-down-during-1')).status).toBe(201);
  });
});
