import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../legal-basis.dto';

export class StartRehabRequestDto {
  @ApiProperty({ example: '2026-08-05', description: 'First day of rehab, YYYY-MM-DD; the end of term follows from it' })
  @IsCalendarDate('startedOn')
  readonly startedOn!: string;
}
