/**
 * Issue 10 §2: the persons read model takes the province from the commune, never from the code the
 * event stores. An old-style event (written before registration refused a mismatch) appended
 * straight to the store is scoped to the commune's province after a rebuild.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { signDevToken } from '@haidang/auth';
import { ANY, jsonEvent } from '@haidang/event-store';
import { activeVersion, projectionEntities, rebuildProjection } from '@haidang/projections';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../cases-service';
import { definePersonsProjection, personsProjection } from './persons.projection';

jest.setTimeout(180_000);

describe('persons read model: province from the commune', () => {
  let database: TestDatabase;
  let cases: CasesService;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('after a rebuild, a person whose old event said province 20 for a Quảng Ninh commune is listed by 22-POLICE, not by 20-POLICE', async () => {
    const personId = randomUUID();
    await cases.store.appendToStream(
      `Person-${personId}`,
      jsonEvent({
        type: 'PersonRegistered',
        schemaVersion: 1,
        data: {
          personId,
          fullName: 'x',
          dateOfBirth: '1990-01-01',
          sex: 'MALE',
          address: 'x',
          residence: { provinceCode: '20', communeCode: '06793' },
          nameIndex: 'legacy',
        },
        metadata: {},
      }),
      { expectedRevision: ANY },
    );
    const dataSource = new DataSource({ type: 'postgres', url: database.url, entities: projectionEntities([personsProjection]), logging: false });
    await dataSource.initialize();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const next = personsProjection.version + 1;
    try {
      const { runner } = await rebuildProjection({ dataSource, store: cases.store, projection: definePersonsProjection(next), logger: quiet });
      await runner.stop();
      expect(await activeVersion(dataSource, personsProjection.name)).toBe(next);
      const rows = (await dataSource.query(`SELECT province_code FROM proj_cases_persons_v${next}.person_row WHERE person_id = $1`, [personId])) as {
        province_code: string;
      }[];
      expect(rows).toEqual([{ province_code: '22' }]);
    } finally {
      await dataSource.destroy();
    }
    const total = async (agency: string, unit: string) => {
      const token = await signDevToken({ agency, roles: ['caseworker'], units: [unit] });
      const response = await fetch(`${cases.url}/api/v1/persons`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, total: ((await response.json()) as { total?: number }).total };
    };
    expect(await total('20-POLICE', '20')).toEqual({ status: 200, total: 0 });
    expect((await total('22-POLICE', '22')).total).toBe(1);
  });
});
