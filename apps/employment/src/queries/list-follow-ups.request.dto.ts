import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';

export class ListFollowUpsQueryDto {
  @ApiProperty({ example: '2027-03-31', description: 'Follow-ups due on or before this day (YYYY-MM-DD), overdue ones included' })
  @IsCalendarDate('dueBefore')
  readonly dueBefore!: string;

  @ApiPropertyOptional({ example: '06793', description: 'Only follow-ups of records in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
}
