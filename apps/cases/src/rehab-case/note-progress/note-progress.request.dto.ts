import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../legal-basis.dto';

export class NoteProgressRequestDto {
  @ApiProperty({ example: '2026-09-01', description: 'Date of the note, YYYY-MM-DD' })
  @IsCalendarDate('notedOn')
  readonly notedOn!: string;

  @ApiProperty({
    example: 'Attended all counselling sessions this month.',
    description: 'Progress in plain words; may hold health data: never shown in the history',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  readonly note!: string;
}
