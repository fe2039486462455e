import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { rehabCasesProjection } from './rehab-cases.projection';

const FIRST_BUILD_WAIT_MS = 10_000;

/**
 * How many courses of rehab a person started in cases other than the one named: the read side's
 * answer to the write side's PriorCourses port. The first build of the read model (a new database)
 * takes moments; a rebuild of a new version keeps the old one active, so only the very first start
 * waits here, then answers 503.
 */
export async function countPriorCourses(readModel: DataSource, personId: string, excludingCaseId: string, clock: () => number = Date.now): Promise<number> {
  const count = () =>
    withReadModel(
      readModel,
      rehabCasesProjection.name,
      (em) =>
        em.query('SELECT count(*) AS courses FROM rehab_case_row WHERE person_id = $1 AND case_id <> $2 AND started_on IS NOT NULL', [
          personId,
          excludingCaseId,
        ]) as Promise<{ courses: string }[]>,
    );
  const deadline = clock() + FIRST_BUILD_WAIT_MS;
  for (;;) {
    try {
      const [row] = await count();
      return Number(row?.courses ?? 0);
    } catch (error) {
      if (!(error instanceof ProjectionNotActiveError)) throw error;
      if (clock() > deadline) {
        throw new ProblemHttpException(
          problem({ status: 503, code: 'read-model-building', detail: 'The service is still building its records after a start. Try again shortly.' }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
