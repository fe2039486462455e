import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { ESTABLISHMENT_KINDS, SCHOOL_LEVELS, type EstablishmentKind, type SchoolLevel } from './domain';

export class RegisterEstablishmentRequestDto {
  @ApiProperty({ example: 'SCHOOL', enum: ESTABLISHMENT_KINDS })
  @IsIn(ESTABLISHMENT_KINDS)
  readonly kind!: EstablishmentKind;

  @ApiPropertyOptional({ example: 'UPPER_SECONDARY', enum: SCHOOL_LEVELS, nullable: true, description: 'Required for a school, refused otherwise' })
  @IsOptional()
  @IsIn(SCHOOL_LEVELS)
  readonly schoolLevel?: SchoolLevel | null;

  @ApiProperty({ example: 'Trường THPT Cẩm Phả' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  readonly name!: string;

  @ApiProperty({ example: '06793' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;

  @ApiProperty({ example: '1980-09-05' })
  @IsCalendarDate('openedOn')
  readonly openedOn!: string;
}

export class CloseEstablishmentRequestDto {
  @ApiProperty({ example: '2022-06-30' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;
}
