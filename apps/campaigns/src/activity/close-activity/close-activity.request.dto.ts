import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { ACTIVITY_OUTCOMES, type ActivityOutcome } from '../domain';

export class CloseActivityRequestDto {
  @ApiProperty({ example: '2026-08-20', description: 'Closing date, YYYY-MM-DD; not before registration, not after today' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;

  @ApiProperty({ example: 'RESOLVED', enum: ACTIVITY_OUTCOMES })
  @IsIn(ACTIVITY_OUTCOMES)
  readonly outcome!: ActivityOutcome;
}
