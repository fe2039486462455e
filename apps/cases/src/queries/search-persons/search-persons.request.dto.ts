import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class SearchPersonsQueryDto {
  @ApiPropertyOptional({ example: 'Nguyen Van An', description: 'Full name; diacritics and case are ignored; matches the whole name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly q?: string;

  @ApiPropertyOptional({ example: '022090001234', description: '12-digit personal ID, matched through its keyed hash' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'idNumber must be exactly 12 digits' })
  readonly idNumber?: string;

  @ApiPropertyOptional({ example: '06793' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
