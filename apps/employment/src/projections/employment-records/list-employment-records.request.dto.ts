import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '@haidang/service-kit';
import {
  CONTRACT_TYPES,
  FUNDING_SOURCES,
  TRADE_CODES,
  TRAINING_LEVELS,
  type ContractType,
  type FundingSource,
  type TradeCode,
} from '../../employment-record/domain/employment.vocabulary';
import { IsCalendarDate } from '../../calendar-date';

export const LISTED_STATUSES = ['OPEN', 'CLOSED'] as const;
export const ENROLMENT_STATUSES = ['ENROLLED', 'COMPLETED', 'DROPPED_OUT'] as const;
export const PLACEMENT_STATUSES = ['WORKING', 'LEFT'] as const;

/** Filters every list of records, enrolments and placements shares: the commune (within your scope) and the page. */
class ScopedPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'Only those of records in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
}

export class ListEmploymentRecordsQueryDto extends ScopedPageQueryDto {
  @ApiPropertyOptional({ example: 'OPEN', enum: LISTED_STATUSES })
  @IsOptional()
  @IsIn(LISTED_STATUSES, { message: `status must be one of ${LISTED_STATUSES.join(', ')}` })
  readonly status?: (typeof LISTED_STATUSES)[number];
}

export class ListEnrolmentsQueryDto extends ScopedPageQueryDto {
  @ApiPropertyOptional({ example: 'COMPLETED', enum: ENROLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLMENT_STATUSES, { message: `status must be one of ${ENROLMENT_STATUSES.join(', ')}` })
  readonly status?: (typeof ENROLMENT_STATUSES)[number];

  @ApiPropertyOptional({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d30', description: 'Only enrolments at this provider' })
  @IsOptional()
  @IsUUID('all', { message: 'providerId must be a UUID' })
  readonly providerId?: string;

  @ApiPropertyOptional({ example: 'WELDING', enum: TRADE_CODES })
  @IsOptional()
  @IsIn(TRADE_CODES, { message: 'tradeCode must be a trade of the code list' })
  readonly tradeCode?: TradeCode;

  @ApiPropertyOptional({ example: 'UNDER_3_MONTHS', enum: TRAINING_LEVELS })
  @IsOptional()
  @IsIn(TRAINING_LEVELS, { message: `level must be one of ${TRAINING_LEVELS.join(', ')}` })
  readonly level?: (typeof TRAINING_LEVELS)[number];

  @ApiPropertyOptional({ example: 'STATE_SUPPORT_AFTER_REHAB', enum: FUNDING_SOURCES })
  @IsOptional()
  @IsIn(FUNDING_SOURCES, { message: `funding must be one of ${FUNDING_SOURCES.join(', ')}` })
  readonly funding?: FundingSource;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Started on or after this day' })
  @IsOptional()
  @IsCalendarDate('from')
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Started on or before this day' })
  @IsOptional()
  @IsCalendarDate('to')
  readonly to?: string;
}

export class ListPlacementsQueryDto extends ScopedPageQueryDto {
  @ApiPropertyOptional({ example: 'WORKING', enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES, { message: `status must be one of ${PLACEMENT_STATUSES.join(', ')}` })
  readonly status?: (typeof PLACEMENT_STATUSES)[number];

  @ApiPropertyOptional({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d40', description: 'Only jobs at this employer' })
  @IsOptional()
  @IsUUID('all', { message: 'employerId must be a UUID' })
  readonly employerId?: string;

  @ApiPropertyOptional({ example: 'FIXED_TERM', enum: CONTRACT_TYPES })
  @IsOptional()
  @IsIn(CONTRACT_TYPES, { message: `contractType must be one of ${CONTRACT_TYPES.join(', ')}` })
  readonly contractType?: ContractType;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Started on or after this day' })
  @IsOptional()
  @IsCalendarDate('from')
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Started on or before this day' })
  @IsOptional()
  @IsCalendarDate('to')
  readonly to?: string;
}
