import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { drugUserManagementsProjection } from './drug-user-managements.projection';

/** A row of `drug_user_management_row` as raw SQL returns it. */
export interface DrugUserManagementRecord {
  management_id: string;
  person_id: string;
  rehab_case_id: string | null;
  commune_code: string | null;
  status: string;
  regime: string;
  decided_on: string;
  starts_on: string;
  term_started_on: string;
  term_months: number;
  ends_on: string;
  ended_on: string | null;
  termination_reason: string | null;
  version: number;
}

/** A row of `drug_user_management_case`: a rehab case found "not addicted", awaiting or past the decision. */
export interface NotAddictedCaseRecord {
  case_id: string;
  commune_code: string | null;
  not_addicted_on: string;
  management_decided_on: string | null;
  closed_on: string | null;
}

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryDrugUserManagements<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, drugUserManagementsProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) {
      throw new ProblemHttpException(
        problem({ status: 503, code: 'read-model-building', detail: 'The list of drug user managements is being built. Try again shortly.' }),
      );
    }
    throw error;
  }
}
