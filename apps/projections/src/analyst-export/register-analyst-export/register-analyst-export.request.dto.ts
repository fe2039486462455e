import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';

export class RegisterAnalystExportRequestDto {
  @ApiProperty({ example: '06793', description: 'The commune the record lies in (a code in force): its scope and the list filter' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;

  @ApiProperty({ example: '2026-08-03', description: 'Registration date, YYYY-MM-DD, not after today in Vietnam' })
  @IsCalendarDate('registeredOn')
  readonly registeredOn!: string;

  @ApiProperty({
    example: 'Met at the commune office; follow up in two weeks.',
    description: 'Free text; may hold personal data, so it is encrypted in the log and never answered',
  })
  @IsString({ message: 'note must be text' })
  @MaxLength(2000)
  readonly note!: string;
}
