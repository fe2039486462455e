import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../legal-basis.dto';

export class RecordRelapseRequestDto {
  @ApiProperty({ example: '2027-01-10', description: 'Date the relapse was detected, YYYY-MM-DD' })
  @IsCalendarDate('detectedOn')
  readonly detectedOn!: string;
}
