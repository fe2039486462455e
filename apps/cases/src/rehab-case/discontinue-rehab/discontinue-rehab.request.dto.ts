import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DISCONTINUATION_REASONS, type DiscontinuationReason } from '../domain';
import { IsCalendarDate } from '../legal-basis.dto';

export class DiscontinueRehabRequestDto {
  @ApiProperty({ example: '2026-09-20', description: 'Date rehab ended early, YYYY-MM-DD' })
  @IsCalendarDate('discontinuedOn')
  readonly discontinuedOn!: string;

  @ApiProperty({ example: 'TRANSFERRED', enum: DISCONTINUATION_REASONS })
  @IsIn(DISCONTINUATION_REASONS)
  readonly reason!: DiscontinuationReason;
}
