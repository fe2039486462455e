import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../legal-basis.dto';

export class CompleteRehabRequestDto {
  @ApiProperty({ example: '2026-11-05', description: 'Date rehab was completed, YYYY-MM-DD; not before the end of term' })
  @IsCalendarDate('completedOn')
  readonly completedOn!: string;
}
