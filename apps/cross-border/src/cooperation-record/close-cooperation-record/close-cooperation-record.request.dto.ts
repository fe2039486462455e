import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { COOPERATION_RECORD_OUTCOMES, type CooperationRecordOutcome } from '../domain';

export class CloseCooperationRecordRequestDto {
  @ApiProperty({ example: '2026-08-20', description: 'Closing date, YYYY-MM-DD; not before registration, not after today' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;

  @ApiProperty({ example: 'RESOLVED', enum: COOPERATION_RECORD_OUTCOMES })
  @IsIn(COOPERATION_RECORD_OUTCOMES)
  readonly outcome!: CooperationRecordOutcome;
}
