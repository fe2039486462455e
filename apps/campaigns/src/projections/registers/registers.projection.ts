import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection, type ProjectionContext } from '@haidang/projections';
import type { PlanAdopted, PlanAmended } from '../../plan/domain/plan.events';
import type { StaffHeadcountChanged, StaffRosterRegistered } from '../../staff/domain/staff-roster.events';
import type {
  SupportModelActivityLogged,
  SupportModelDeactivated,
  SupportModelFounded,
  SupportModelReactivated,
} from '../../support-model/domain/support-model.events';
import type { SurveyRecorded } from '../../survey/domain/survey.events';

/**
 * The lists of plans, support models, surveys and the staff register: each row as the entry stands
 * now, with its version for If-Match. Codes, dates and counts only (nothing here is personal). The
 * read side knows the events, not the aggregates or their commands.
 */
@Entity({ name: 'campaigns_plan_row' })
export class PlanRow {
  @PrimaryColumn('uuid', { name: 'plan_id' }) planId!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'issued_by' }) issuedBy!: string;
  @Column('text') number!: string;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'issued_on' }) issuedOn!: string;
  @Column('text') title!: string;
  @Column('text', { name: 'lead_agency' }) leadAgency!: string;
  @Column('text', { name: 'period_from' }) periodFrom!: string;
  @Column('text', { name: 'period_to' }) periodTo!: string;
  @Index() @Column('uuid', { name: 'parent_plan_id', nullable: true }) parentPlanId!: string | null;
  @Column('text', { name: 'district_name', nullable: true }) districtName!: string | null;
  @Column('integer', { name: 'target_count' }) targetCount!: number;
  @Column('integer') amendments!: number;
  @Column('integer') version!: number;
}

@Entity({ name: 'campaigns_support_model_row' })
export class SupportModelRow {
  @PrimaryColumn('uuid', { name: 'model_id' }) modelId!: string;
  @Column('text', { name: 'model_code' }) modelCode!: string;
  @Column('text') name!: string;
  @Index() @Column('text') kind!: string;
  @Column('text', { name: 'owner_type' }) ownerType!: string;
  @Column('text', { name: 'owner_agency', nullable: true }) ownerAgency!: string | null;
  @Index() @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'founded_on' }) foundedOn!: string;
  /** ACTIVE or INACTIVE, since `status_since`. */
  @Index() @Column('text') status!: string;
  @Column('text', { name: 'status_since' }) statusSince!: string;
  @Column('integer', { name: 'logs' }) logs!: number;
  @Column('integer', { name: 'meetings' }) meetings!: number;
  @Column('integer', { name: 'persons_supported' }) personsSupported!: number;
  @Column('integer') version!: number;
}

@Entity({ name: 'campaigns_survey_row' })
export class SurveyRow {
  @PrimaryColumn('uuid', { name: 'survey_id' }) surveyId!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'conducted_by' }) conductedBy!: string;
  @Index() @Column('text', { name: 'conducted_from' }) conductedFrom!: string;
  @Column('text', { name: 'conducted_to' }) conductedTo!: string;
  @Column('uuid', { name: 'plan_id', nullable: true }) planId!: string | null;
  @Column('text', { array: true }) groups!: string[];
  @Column('text', { name: 'unit_codes', array: true }) unitCodes!: string[];
  @Column('integer', { name: 'sample_size' }) sampleSize!: number;
  @Column('integer') aware!: number;
  @Column('integer') version!: number;
}

@Entity({ name: 'campaigns_staff_roster_row' })
export class StaffRosterRow {
  @PrimaryColumn('uuid', { name: 'roster_id' }) rosterId!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'agency_code' }) agencyCode!: string;
  @Index() @Column('text', { name: 'staff_group' }) group!: string;
  @Column('integer') headcount!: number;
  @Column('text', { name: 'as_of' }) asOf!: string;
  @Column('integer') version!: number;
}

type Events = {
  PlanAdopted: PlanAdopted['data'];
  PlanAmended: PlanAmended['data'];
  SupportModelFounded: SupportModelFounded['data'];
  SupportModelDeactivated: SupportModelDeactivated['data'];
  SupportModelReactivated: SupportModelReactivated['data'];
  SupportModelActivityLogged: SupportModelActivityLogged['data'];
  SurveyRecorded: SurveyRecorded['data'];
  StaffRosterRegistered: StaffRosterRegistered['data'];
  StaffHeadcountChanged: StaffHeadcountChanged['data'];
};

/** The id of a stream of `aggregate`, or undefined for another stream. */
const idIn = (aggregate: string, event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(`${aggregate}-`) ? event.streamId.slice(aggregate.length + 1) : undefined;
const versionOf = (event: { readonly revision: bigint }) => Number(event.revision);

function modelChange(
  event: { readonly streamId: string; readonly revision: bigint },
  ctx: Pick<ProjectionContext, 'update' | 'increment'>,
  values: Partial<SupportModelRow>,
): void {
  const modelId = idIn('SupportModel', event);
  if (modelId !== undefined) ctx.update(SupportModelRow, { modelId }, { ...values, version: versionOf(event) });
}

/** Bump `version` whenever a handler or a row changes: the new version is built beside the old one. */
export const campaignsRegistersProjection = defineProjection<Events>({
  name: 'campaigns_registers',
  version: 1,
  entities: [PlanRow, SupportModelRow, SurveyRow, StaffRosterRow],
  handlers: {
    PlanAdopted: (event, _em, ctx) => {
      const planId = idIn('Plan', event);
      if (planId === undefined) return;
      const d = event.data;
      ctx.upsert(PlanRow, {
        planId,
        provinceCode: d.provinceCode,
        issuedBy: d.issuedBy,
        number: d.number,
        issuedOn: d.issuedOn,
        title: d.title,
        leadAgency: d.leadAgency,
        periodFrom: d.periodFrom,
        periodTo: d.periodTo,
        parentPlanId: d.parentPlanId,
        districtName: d.districtName ?? null,
        targetCount: d.targets.length,
        amendments: 0,
        version: versionOf(event),
      });
    },
    PlanAmended: (event, _em, ctx) => {
      const planId = idIn('Plan', event);
      if (planId !== undefined) ctx.update(PlanRow, { planId }, { amendments: event.data.amendmentNo, version: versionOf(event) });
    },
    SupportModelFounded: (event, _em, ctx) => {
      const modelId = idIn('SupportModel', event);
      if (modelId === undefined) return;
      const d = event.data;
      ctx.upsert(SupportModelRow, {
        modelId,
        modelCode: d.modelCode,
        name: d.name,
        kind: d.kind,
        ownerType: d.ownerType,
        ownerAgency: d.ownerAgency,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        foundedOn: d.foundedOn,
        status: 'ACTIVE',
        statusSince: d.foundedOn,
        logs: 0,
        meetings: 0,
        personsSupported: 0,
        version: versionOf(event),
      });
    },
    SupportModelDeactivated: (event, _em, ctx) => modelChange(event, ctx, { status: 'INACTIVE', statusSince: event.data.deactivatedOn }),
    SupportModelReactivated: (event, _em, ctx) => modelChange(event, ctx, { status: 'ACTIVE', statusSince: event.data.reactivatedOn }),
    SupportModelActivityLogged: (event, _em, ctx) => {
      const modelId = idIn('SupportModel', event);
      if (modelId === undefined) return;
      ctx.update(
        SupportModelRow,
        { modelId },
        { version: versionOf(event), logs: 1, meetings: event.data.meetings, personsSupported: event.data.personsSupported },
        { increment: ['logs', 'meetings', 'personsSupported'] },
      );
    },
    SurveyRecorded: (event, _em, ctx) => {
      const surveyId = idIn('Survey', event);
      if (surveyId === undefined) return;
      const d = event.data;
      ctx.upsert(SurveyRow, {
        surveyId,
        provinceCode: d.provinceCode,
        conductedBy: d.conductedBy,
        conductedFrom: d.conductedFrom,
        conductedTo: d.conductedTo,
        planId: d.planId,
        groups: [...new Set(d.results.map((r) => r.group))],
        unitCodes: [...new Set(d.results.map((r) => r.unitCode))],
        sampleSize: d.results.reduce((sum, r) => sum + r.sampleSize, 0),
        aware: d.results.reduce((sum, r) => sum + r.aware, 0),
        version: versionOf(event),
      });
    },
    StaffRosterRegistered: (event, _em, ctx) => {
      if (idIn('StaffRoster', event) === undefined) return;
      const d = event.data;
      ctx.upsert(StaffRosterRow, {
        rosterId: d.rosterId,
        provinceCode: d.provinceCode,
        agencyCode: d.agencyCode,
        group: d.group,
        headcount: d.headcount,
        asOf: d.asOf,
        version: versionOf(event),
      });
    },
    StaffHeadcountChanged: (event, _em, ctx) => {
      if (idIn('StaffRoster', event) === undefined) return;
      ctx.update(StaffRosterRow, { rosterId: event.data.rosterId }, { headcount: event.data.headcount, asOf: event.data.asOf, version: versionOf(event) });
    },
  },
});
