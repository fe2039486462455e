import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../legal-basis.dto';

export class CloseRehabCaseRequestDto {
  @ApiProperty({ example: '2027-11-06', description: 'Date the case is closed, YYYY-MM-DD' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;
}
