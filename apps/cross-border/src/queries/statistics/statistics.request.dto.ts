import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';

export const STATISTIC_SOURCES = ['records', 'summaries'] as const;

export class StatisticsQueryDto {
  @ApiPropertyOptional({ example: '20', description: 'Your province (the default); another is refused' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a province code of 2 digits' })
  readonly provinceCode?: string;

  @ApiPropertyOptional({ example: '2015-01-01', description: 'Counts what lies wholly within [from, to]' })
  @IsOptional()
  @IsCalendarDate('from')
  readonly from?: string;

  @ApiPropertyOptional({ example: '2020-12-31' })
  @IsOptional()
  @IsCalendarDate('to')
  readonly to?: string;

  @ApiPropertyOptional({ example: 'LS-HUU-NGHI' }) @IsOptional() @IsString() @MaxLength(40) readonly crossingCode?: string;

  @ApiPropertyOptional({
    example: 'summaries',
    enum: STATISTIC_SOURCES,
    description: '`records` (default): sums of the individual records; `summaries`: the period summaries entered as totals',
  })
  @IsOptional()
  @IsIn(STATISTIC_SOURCES)
  readonly source?: (typeof STATISTIC_SOURCES)[number];
}
