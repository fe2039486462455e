import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection, type ProjectionWrites } from '@haidang/projections';
import { residenceProvince } from '../persons/persons.projection';
import type { PersonRegisteredV1 } from '../../person/domain';
import type {
  AddictionDetermined,
  PostRehabManagementStarted,
  RehabCaseClosed,
  RehabCaseRegistered,
  RehabCompleted,
  RehabDiscontinued,
  RehabFormDecided,
  RehabStarted,
  RelapseRecorded,
  TermReduced,
} from '../../rehab-case/domain';
import { REHAB_CASE_AGGREGATE } from '../../rehab-case/domain';

/**
 * The rehab-cases read model: ids, codes, status and dates only, no personal field. A case is
 * scoped by its person's residence commune; the rehab-case events do not carry it, and a handler
 * may only use event data, so this projection keeps its own person → place table fed by
 * `PersonRegistered` (read within the same transaction and schema) rather than joining on the
 * persons projection, whose schema changes with its version.
 */
@Entity({ name: 'rehab_case_row' })
// v4: the list reads a page in index order and counts by an index-only scan, one-sided per scope
// (issue 17 §6): these replace the single-column indexes on commune_code and province_code.
@Index(['communeCode', 'registeredOn', 'caseId'])
@Index(['provinceCode', 'registeredOn', 'caseId'])
@Index(['provinceCode', 'status', 'registeredOn', 'caseId'])
export class RehabCaseRow {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @Index() @Column('uuid', { name: 'person_id' }) personId!: string;
  /** null when the person was unknown at registration: such a case is in nobody's scope. */
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Column('text', { name: 'province_code', nullable: true }) provinceCode!: string | null;
  @Index() @Column('text') status!: string;
  @Column('text', { nullable: true }) form!: string | null;
  @Column('text', { nullable: true }) regime!: string | null;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'registered_on' }) registeredOn!: string;
  /** The determination found the person addicted; null otherwise (and for "not addicted"). */
  @Column('text', { name: 'addiction_confirmed_on', nullable: true }) addictionConfirmedOn!: string | null;
  @Column('text', { name: 'form_decided_on', nullable: true }) formDecidedOn!: string | null;
  @Column('text', { name: 'started_on', nullable: true }) startedOn!: string | null;
  @Column('text', { name: 'expected_end_on', nullable: true }) expectedEndOn!: string | null;
  @Column('text', { name: 'completed_on', nullable: true }) completedOn!: string | null;
  @Column('text', { name: 'discontinued_on', nullable: true }) discontinuedOn!: string | null;
  @Column('text', { name: 'post_rehab_started_on', nullable: true }) postRehabStartedOn!: string | null;
  @Column('text', { name: 'post_rehab_ends_on', nullable: true }) postRehabEndsOn!: string | null;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  /** The term as decided less any reductions; what the deadline rules count from the start. */
  @Column('integer', { name: 'term_months', nullable: true }) termMonths!: number | null;
  @Column('integer', { name: 'post_rehab_term_months', nullable: true }) postRehabTermMonths!: number | null;
  @Column('integer') version!: number;
}

/** Where each person lives, as registered: only the codes the scope of their cases needs. */
@Entity({ name: 'rehab_case_person' })
export class RehabCasePersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
}

type Events = {
  PersonRegistered: PersonRegisteredV1;
  RehabCaseRegistered: RehabCaseRegistered['data'];
  AddictionDetermined: AddictionDetermined['data'];
  RehabFormDecided: RehabFormDecided['data'];
  RehabStarted: RehabStarted['data'];
  TermReduced: TermReduced['data'];
  RehabCompleted: RehabCompleted['data'];
  RehabDiscontinued: RehabDiscontinued['data'];
  PostRehabManagementStarted: PostRehabManagementStarted['data'];
  RelapseRecorded: RelapseRecorded['data'];
  RehabCaseClosed: RehabCaseClosed['data'];
};

const STREAM_PREFIX = `${REHAB_CASE_AGGREGATE}-`;

/** The case id of a rehab-case event, or undefined for an event of another stream. */
function caseIdOf(event: { streamId: string }): string | undefined {
  return event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;
}

/** The definition at a given version; the service runs `rehabCasesProjection` (tests rebuild another version of the same). */
export const defineRehabCasesProjection = (version: number) =>
  defineProjection<Events>({
    name: 'cases_rehab_cases',
    version,
    entities: [RehabCaseRow, RehabCasePersonRow],
    handlers: {
      PersonRegistered: (event, _em, ctx) =>
        ctx.upsert(RehabCasePersonRow, {
          personId: event.data.personId,
          communeCode: event.data.residence.communeCode,
          // The commune's province, not the stored code (issue 10 §2; v3 rebuilds old rows).
          provinceCode: residenceProvince(event.data.residence, event.created),
        }),
      RehabCaseRegistered: async (event, em, ctx) => {
        if (caseIdOf(event) === undefined) return;
        // The buffer is flushed before this query, so a person registered earlier in the batch is seen.
        const [place] = (await em.query('SELECT commune_code, province_code FROM rehab_case_person WHERE person_id = $1', [event.data.personId])) as {
          commune_code: string;
          province_code: string;
        }[];
        ctx.upsert(RehabCaseRow, {
          caseId: event.data.caseId,
          personId: event.data.personId,
          communeCode: place?.commune_code ?? null,
          provinceCode: place?.province_code ?? null,
          status: 'REGISTERED',
          form: null,
          regime: null,
          registeredOn: event.data.registeredOn,
          addictionConfirmedOn: null,
          formDecidedOn: null,
          startedOn: null,
          expectedEndOn: null,
          completedOn: null,
          discontinuedOn: null,
          postRehabStartedOn: null,
          postRehabEndsOn: null,
          closedOn: null,
          termMonths: null,
          postRehabTermMonths: null,
          version: Number(event.revision),
        });
      },
      AddictionDetermined: async (event, em) => {
        const caseId = caseIdOf(event);
        if (caseId === undefined) return;
        // As the decider's evolve: "not addicted" ends the case; "addicted" moves a registered case on
        // and leaves a case whose voluntary form was already decided where it is.
        await em.query(
          `UPDATE rehab_case_row SET version = $2,
             status = CASE WHEN $3 <> 'ADDICTED' THEN 'NOT_ADDICTED' WHEN status = 'REGISTERED' THEN 'ADDICTION_DETERMINED' ELSE status END,
             addiction_confirmed_on = CASE WHEN $3 = 'ADDICTED' THEN $4 ELSE NULL END
           WHERE case_id = $1`,
          [caseId, Number(event.revision), event.data.result, event.data.determinedOn],
        );
      },
      RehabFormDecided: (event, _em, ctx) =>
        update(event, ctx, {
          status: 'FORM_DECIDED',
          form: event.data.form,
          regime: event.data.regime,
          termMonths: event.data.termMonths,
          formDecidedOn: event.data.legalBasis.decisionDate,
        }),
      RehabStarted: (event, _em, ctx) => update(event, ctx, { status: 'IN_REHAB', startedOn: event.data.startedOn, expectedEndOn: event.data.expectedEndOn }),
      TermReduced: async (event, em) => {
        const caseId = caseIdOf(event);
        if (caseId === undefined) return;
        await em.query('UPDATE rehab_case_row SET version = $2, expected_end_on = $3, term_months = term_months - $4 WHERE case_id = $1', [
          caseId,
          Number(event.revision),
          event.data.newExpectedEndOn,
          event.data.months,
        ]);
      },
      RehabCompleted: (event, _em, ctx) => update(event, ctx, { status: 'COMPLETED', completedOn: event.data.completedOn }),
      RehabDiscontinued: (event, _em, ctx) => update(event, ctx, { status: 'DISCONTINUED', discontinuedOn: event.data.discontinuedOn }),
      PostRehabManagementStarted: (event, _em, ctx) =>
        update(event, ctx, {
          status: 'POST_REHAB_MANAGEMENT',
          postRehabStartedOn: event.data.startedOn,
          postRehabEndsOn: event.data.endsOn,
          postRehabTermMonths: event.data.termMonths,
        }),
      RelapseRecorded: (event, _em, ctx) => update(event, ctx, { status: 'RELAPSED' }),
      RehabCaseClosed: (event, _em, ctx) => update(event, ctx, { status: 'CLOSED', closedOn: event.data.closedOn }),
    },
  });

/**
 * v2: the determination and form-decision dates (the deadline after a positive determination).
 * v4: indexes for the list's order within a commune, a province, and a province and status.
 */
export const rehabCasesProjection = defineRehabCasesProjection(4);

function update(event: { streamId: string; revision: bigint }, ctx: ProjectionWrites, values: Partial<RehabCaseRow>): void {
  const caseId = caseIdOf(event);
  if (caseId === undefined) return;
  ctx.update(RehabCaseRow, { caseId }, { ...values, version: Number(event.revision) });
}
