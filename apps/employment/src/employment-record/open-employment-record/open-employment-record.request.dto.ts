import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { NEEDS, NOT_NOW_REASONS, type Need, type NotNowReason } from '../domain';

export class OpenEmploymentRecordRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10', description: 'The person in the cases service' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  readonly personId!: string;

  @ApiProperty({ example: '06793', description: 'The commune of residence (a code in force): the record’s scope' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;

  @ApiProperty({ example: '2026-08-03', description: 'YYYY-MM-DD, not after today in Vietnam' })
  @IsCalendarDate('openedOn')
  readonly openedOn!: string;

  @ApiProperty({ example: 'WANTS_WORK', enum: NEEDS })
  @IsIn(NEEDS, { message: `need must be one of ${NEEDS.join(', ')}` })
  readonly need!: Need;

  @ApiPropertyOptional({ example: null, enum: NOT_NOW_REASONS, nullable: true, description: 'Required with NOT_NOW, refused otherwise' })
  @ValidateIf((o: { notNowReason?: unknown }) => o.notNowReason !== undefined && o.notNowReason !== null)
  @IsIn(NOT_NOW_REASONS, { message: `notNowReason must be one of ${NOT_NOW_REASONS.join(', ')}` })
  readonly notNowReason?: NotNowReason | null;

  @ApiPropertyOptional({ example: 'Biết hàn cơ bản, có bằng lái xe máy.', description: 'Free text; encrypted with the person’s key' })
  @IsOptional()
  @IsString({ message: 'skills must be text' })
  @MaxLength(2000)
  readonly skills?: string;

  @ApiPropertyOptional({ example: 'Muốn làm gần nhà, ca ngày.', description: 'Free text; encrypted with the person’s key' })
  @IsOptional()
  @IsString({ message: 'preferences must be text' })
  @MaxLength(2000)
  readonly preferences?: string;
}
