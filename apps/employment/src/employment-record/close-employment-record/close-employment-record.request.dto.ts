import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { EMPLOYMENT_RECORD_OUTCOMES, type EmploymentRecordOutcome } from '../domain';

export class CloseEmploymentRecordRequestDto {
  @ApiProperty({ example: '2026-08-20', description: 'Closing date, YYYY-MM-DD; not before registration, not after today' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;

  @ApiProperty({ example: 'RESOLVED', enum: EMPLOYMENT_RECORD_OUTCOMES })
  @IsIn(EMPLOYMENT_RECORD_OUTCOMES)
  readonly outcome!: EmploymentRecordOutcome;
}
