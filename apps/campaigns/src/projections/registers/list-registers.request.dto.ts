import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '@haidang/service-kit';
import { IsCalendarDate } from '../../calendar-date';
import { STAFF_GROUPS, type StaffGroup } from '../../staff/domain/staff-roster.events';
import { OWNER_TYPES, SUPPORT_MODEL_KINDS, type OwnerType, type SupportModelKind } from '../../support-model/domain/support-model.events';
import { SURVEY_GROUPS, type SurveyGroup } from '../../survey/domain/survey.events';

const AGENCY_CODE = /^\d{2}-[A-Z_]{2,40}(-[0-9A-Za-z]{1,20})?$/;
export const PLAN_LEVELS = ['PROVINCE', 'DISTRICT'] as const;
export const MODEL_STATUSES = ['ACTIVE', 'INACTIVE'] as const;

/** A window of days: what overlaps it (plans, surveys) or what falls in it. */
class WindowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2022-01-01' })
  @IsOptional()
  @IsCalendarDate('from')
  readonly from?: string;

  @ApiPropertyOptional({ example: '2022-12-31' })
  @IsOptional()
  @IsCalendarDate('to')
  readonly to?: string;
}

export class ListPlansQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ example: 'DISTRICT', enum: PLAN_LEVELS, description: 'PROVINCE: plans naming no district; DISTRICT: district plans' })
  @IsOptional()
  @IsIn(PLAN_LEVELS, { message: `level must be one of ${PLAN_LEVELS.join(', ')}` })
  readonly level?: (typeof PLAN_LEVELS)[number];

  @ApiPropertyOptional({ example: '6f1d1c1e-1111-4a4a-8a8a-000000000146', description: 'Only plans carrying out this one' })
  @IsOptional()
  @IsUUID('all', { message: 'parentPlanId must be a UUID' })
  readonly parentPlanId?: string;
}

export class ListSupportModelsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'AFTER_CARE_CLUB', enum: SUPPORT_MODEL_KINDS })
  @IsOptional()
  @IsIn(SUPPORT_MODEL_KINDS, { message: `kind must be one of ${SUPPORT_MODEL_KINDS.join(', ')}` })
  readonly kind?: SupportModelKind;

  @ApiPropertyOptional({ example: 'WOMENS_UNION', enum: OWNER_TYPES })
  @IsOptional()
  @IsIn(OWNER_TYPES, { message: `ownerType must be one of ${OWNER_TYPES.join(', ')}` })
  readonly ownerType?: OwnerType;

  @ApiPropertyOptional({ example: 'ACTIVE', enum: MODEL_STATUSES })
  @IsOptional()
  @IsIn(MODEL_STATUSES, { message: `status must be one of ${MODEL_STATUSES.join(', ')}` })
  readonly status?: (typeof MODEL_STATUSES)[number];

  @ApiPropertyOptional({ example: '06793', description: 'Only models in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
}

export class ListSurveysQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ example: 'ADULTS', enum: SURVEY_GROUPS, description: 'Only surveys with results for this group' })
  @IsOptional()
  @IsIn(SURVEY_GROUPS, { message: `group must be one of ${SURVEY_GROUPS.join(', ')}` })
  readonly group?: SurveyGroup;

  @ApiPropertyOptional({ example: '6f1d1c1e-1111-4a4a-8a8a-000000000146' })
  @IsOptional()
  @IsUUID('all', { message: 'planId must be a UUID' })
  readonly planId?: string;
}

export class ListStaffRostersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'REHAB_STAFF', enum: STAFF_GROUPS })
  @IsOptional()
  @IsIn(STAFF_GROUPS, { message: `group must be one of ${STAFF_GROUPS.join(', ')}` })
  readonly group?: StaffGroup;

  @ApiPropertyOptional({ example: '22-REHAB_FACILITY-1' })
  @IsOptional()
  @Matches(AGENCY_CODE, { message: 'agencyCode must be an agency code <province>-<TYPE>[-<n>]' })
  readonly agencyCode?: string;
}
