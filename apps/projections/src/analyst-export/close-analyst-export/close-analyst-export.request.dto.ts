import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { ANALYST_EXPORT_OUTCOMES, type AnalystExportOutcome } from '../domain';

export class CloseAnalystExportRequestDto {
  @ApiProperty({ example: '2026-08-20', description: 'Closing date, YYYY-MM-DD; not before registration, not after today' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;

  @ApiProperty({ example: 'RESOLVED', enum: ANALYST_EXPORT_OUTCOMES })
  @IsIn(ANALYST_EXPORT_OUTCOMES)
  readonly outcome!: AnalystExportOutcome;
}
