import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { SURVEY_GROUPS, type SurveyGroup } from './domain';

export class SurveyResultDto {
  @ApiProperty({ example: 'ADULTS', enum: SURVEY_GROUPS })
  @IsIn(SURVEY_GROUPS)
  readonly group!: SurveyGroup;

  @ApiProperty({ example: '06793', description: 'A province (2 digits) or a commune (5 digits) of your province' })
  @Matches(/^(\d{2}|\d{5})$/, { message: 'unitCode must be a province (2 digits) or commune (5 digits) code' })
  readonly unitCode!: string;

  @ApiProperty({ example: 1000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  readonly sampleSize!: number;

  @ApiProperty({ example: 541, description: 'How many of the sample understood drug addiction, its prevention and treatment' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  readonly aware!: number;
}

export class RecordSurveyRequestDto {
  @ApiProperty({ example: '2022-11-01' })
  @IsCalendarDate('conductedFrom')
  readonly conductedFrom!: string;

  @ApiProperty({ example: '2022-11-30' })
  @IsCalendarDate('conductedTo')
  readonly conductedTo!: string;

  @ApiPropertyOptional({ nullable: true, example: null })
  @IsOptional()
  @IsUUID()
  readonly planId?: string | null;

  @ApiProperty({ type: [SurveyResultDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SurveyResultDto)
  readonly results!: SurveyResultDto[];
}
