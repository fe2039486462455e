import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '@haidang/service-kit';
import { ACTIVITY_FORMS, type ActivityForm } from '../../activity/domain/activity.events';
import { IsCalendarDate } from '../../calendar-date';

export const LISTED_STATUSES = ['RECORDED', 'WITHDRAWN'] as const;

export class ListActivitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'Only activities in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 'ARTICLE', enum: ACTIVITY_FORMS })
  @IsOptional()
  @IsIn(ACTIVITY_FORMS)
  readonly form?: ActivityForm;

  @ApiPropertyOptional({ example: 'RECORDED', enum: LISTED_STATUSES })
  @IsOptional()
  @IsIn(LISTED_STATUSES)
  readonly status?: (typeof LISTED_STATUSES)[number];

  @ApiPropertyOptional({ example: '2022-01-01' })
  @IsOptional()
  @IsCalendarDate('from')
  readonly from?: string;

  @ApiPropertyOptional({ example: '2022-12-31' })
  @IsOptional()
  @IsCalendarDate('to')
  readonly to?: string;
}
