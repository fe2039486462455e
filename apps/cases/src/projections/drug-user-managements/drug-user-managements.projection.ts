import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import { residenceProvince } from '../persons/persons.projection';
import type { PersonRegisteredV1 } from '../../person/domain';
import type {
  DrugTestRecorded,
  DrugUserManagementDecided,
  DrugUserManagementEnded,
  DrugUserManagementTerminatedEarly,
} from '../../drug-user-management/domain';
import { DRUG_USER_MANAGEMENT_AGGREGATE } from '../../drug-user-management/domain';
import type { AddictionDetermined, RehabCaseClosed, RehabCaseRegistered } from '../../rehab-case/domain';
import { REHAB_CASE_AGGREGATE } from '../../rehab-case/domain';

/**
 * The drug-user-managements read model (Law 73/2021 Art. 23–26): ids, codes, status and dates only,
 * no personal field. Scoped like rehab cases by the person's residence commune and its province,
 * from this projection's own person → place table (a handler may only use event data and its own
 * tables). It also keeps, per rehab case, a "not addicted" determination still waiting for the
 * commune chair's management decision: the fact the decision-due deadline counts from.
 */
@Entity({ name: 'drug_user_management_row' })
// v2: the list reads a page in index order and counts by an index-only scan, one-sided per scope
// (issue 17 §6): these replace the single-column indexes on commune_code and province_code.
@Index(['communeCode', 'startsOn', 'managementId'])
@Index(['provinceCode', 'startsOn', 'managementId'])
export class DrugUserManagementRow {
  @PrimaryColumn('uuid', { name: 'management_id' }) managementId!: string;
  @Index() @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('uuid', { name: 'rehab_case_id', nullable: true }) rehabCaseId!: string | null;
  /** null when the person was unknown at the decision: such a management is in nobody's scope. */
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Column('text', { name: 'province_code', nullable: true }) provinceCode!: string | null;
  @Index() @Column('text') status!: string;
  @Column('text') regime!: string;
  // Dates are the days in Vietnam as ISO strings.
  @Column('text', { name: 'decided_on' }) decidedOn!: string;
  @Column('text', { name: 'starts_on' }) startsOn!: string;
  /** Where the running term counts from: the start, or the last positive test that restarted it. */
  @Column('text', { name: 'term_started_on' }) termStartedOn!: string;
  @Column('integer', { name: 'term_months' }) termMonths!: number;
  @Column('text', { name: 'ends_on' }) endsOn!: string;
  /** The end at term or the early end, whichever happened. */
  @Column('text', { name: 'ended_on', nullable: true }) endedOn!: string | null;
  @Column('text', { name: 'termination_reason', nullable: true }) terminationReason!: string | null;
  @Column('integer') version!: number;
}

@Entity({ name: 'drug_user_management_person' })
export class DrugUserManagementPersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
}

/** A rehab case as far as management needs it: its person and a "not addicted" determination. */
@Entity({ name: 'drug_user_management_case' })
export class DrugUserManagementCaseRow {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @Column('uuid', { name: 'person_id' }) personId!: string;
  @Index() @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Index() @Column('text', { name: 'province_code', nullable: true }) provinceCode!: string | null;
  @Column('text', { name: 'not_addicted_on', nullable: true }) notAddictedOn!: string | null;
  @Column('text', { name: 'management_decided_on', nullable: true }) managementDecidedOn!: string | null;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
}

type Events = {
  PersonRegistered: PersonRegisteredV1;
  RehabCaseRegistered: RehabCaseRegistered['data'];
  AddictionDetermined: AddictionDetermined['data'];
  RehabCaseClosed: RehabCaseClosed['data'];
  DrugUserManagementDecided: DrugUserManagementDecided['data'];
  DrugTestRecorded: DrugTestRecorded['data'];
  DrugUserManagementEnded: DrugUserManagementEnded['data'];
  DrugUserManagementTerminatedEarly: DrugUserManagementTerminatedEarly['data'];
};

const idIn = (prefix: string) => (event: { streamId: string }) =>
  event.streamId.startsWith(`${prefix}-`) ? event.streamId.slice(prefix.length + 1) : undefined;
const managementIdOf = idIn(DRUG_USER_MANAGEMENT_AGGREGATE);
const caseIdOf = idIn(REHAB_CASE_AGGREGATE);

type Place = { commune_code: string; province_code: string };
type Queryable = { query: (sql: string, params: unknown[]) => Promise<unknown> };
async function placeOf(em: Queryable, personId: string): Promise<Place | undefined> {
  // The buffer is flushed before this query, so a person registered earlier in the batch is seen.
  const [place] = (await em.query('SELECT commune_code, province_code FROM drug_user_management_person WHERE person_id = $1', [personId])) as Place[];
  return place;
}

export const defineDrugUserManagementsProjection = (version: number) =>
  defineProjection<Events>({
    name: 'cases_drug_user_managements',
    version,
    entities: [DrugUserManagementRow, DrugUserManagementPersonRow, DrugUserManagementCaseRow],
    handlers: {
      PersonRegistered: (event, _em, ctx) =>
        ctx.upsert(DrugUserManagementPersonRow, {
          personId: event.data.personId,
          communeCode: event.data.residence.communeCode,
          provinceCode: residenceProvince(event.data.residence, event.created),
        }),
      RehabCaseRegistered: async (event, em, ctx) => {
        if (caseIdOf(event) === undefined) return;
        const place = await placeOf(em, event.data.personId);
        ctx.upsert(DrugUserManagementCaseRow, {
          caseId: event.data.caseId,
          personId: event.data.personId,
          communeCode: place?.commune_code ?? null,
          provinceCode: place?.province_code ?? null,
          notAddictedOn: null,
          managementDecidedOn: null,
          closedOn: null,
        });
      },
      AddictionDetermined: (event, _em, ctx) => {
        const caseId = caseIdOf(event);
        if (caseId === undefined) return;
        // As the rehab-case decider: only "not addicted" leads to management (nextStep DRUG_USER_MANAGEMENT).
        ctx.update(DrugUserManagementCaseRow, { caseId }, { notAddictedOn: event.data.result === 'ADDICTED' ? null : event.data.determinedOn });
      },
      RehabCaseClosed: (event, _em, ctx) => {
        const caseId = caseIdOf(event);
        if (caseId === undefined) return;
        ctx.update(DrugUserManagementCaseRow, { caseId }, { closedOn: event.data.closedOn });
      },
      DrugUserManagementDecided: async (event, em, ctx) => {
        if (managementIdOf(event) === undefined) return;
        const { data } = event;
        const place = await placeOf(em, data.personId);
        ctx.upsert(DrugUserManagementRow, {
          managementId: data.managementId,
          personId: data.personId,
          rehabCaseId: data.rehabCaseId,
          communeCode: place?.commune_code ?? null,
          provinceCode: place?.province_code ?? null,
          status: 'IN_PROGRESS',
          regime: data.regime,
          decidedOn: data.legalBasis.decisionDate,
          startsOn: data.startsOn,
          termStartedOn: data.startsOn,
          termMonths: data.termMonths,
          endsOn: data.endsOn,
          endedOn: null,
          terminationReason: null,
          version: Number(event.revision),
        });
        if (data.rehabCaseId !== null)
          ctx.update(DrugUserManagementCaseRow, { caseId: data.rehabCaseId }, { managementDecidedOn: data.legalBasis.decisionDate });
      },
      DrugTestRecorded: async (event, em) => {
        const managementId = managementIdOf(event);
        if (managementId === undefined) return;
        // The decider moves `endsOn` only when a positive test restarts the term, from the test date.
        await em.query(
          `UPDATE drug_user_management_row SET version = $2,
             term_started_on = CASE WHEN ends_on <> $3 THEN $4 ELSE term_started_on END, ends_on = $3
           WHERE management_id = $1`,
          [managementId, Number(event.revision), event.data.endsOn, event.data.testedOn],
        );
      },
      DrugUserManagementEnded: (event, _em, ctx) => {
        const managementId = managementIdOf(event);
        if (managementId === undefined) return;
        ctx.update(DrugUserManagementRow, { managementId }, { status: 'ENDED', endedOn: event.data.endedOn, version: Number(event.revision) });
      },
      DrugUserManagementTerminatedEarly: (event, _em, ctx) => {
        const managementId = managementIdOf(event);
        if (managementId === undefined) return;
        ctx.update(
          DrugUserManagementRow,
          { managementId },
          { status: 'TERMINATED_EARLY', endedOn: event.data.terminatedOn, terminationReason: event.data.reason, version: Number(event.revision) },
        );
      },
    },
  });

/** v2: indexes for the list's order within a commune and a province. */
export const drugUserManagementsProjection = defineDrugUserManagementsProjection(2);
