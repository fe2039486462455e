import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ISSUING_BODIES, type IssuingBody } from './domain';

/** A calendar day `YYYY-MM-DD` that exists (2022-02-30 is refused with the field named). */
export function IsCalendarDate(field: string): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: `${field} must be a date YYYY-MM-DD` }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a date YYYY-MM-DD` }),
  );
}

/** Reference of a facility: an opaque code, never a description. */
export const FACILITY_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

/** The legal decision a step rests on. */
export class LegalBasisDto {
  @ApiProperty({ example: '15/QĐ-UBND', description: 'Decision number as printed on the decision' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ./_-]{0,63}$/u, { message: 'decisionNo must be a decision number (letters, digits, space . / _ -)' })
  readonly decisionNo!: string;

  @ApiProperty({
    example: '2026-08-03',
    description: 'Date of the decision, YYYY-MM-DD; it selects the law that applies (before 2026-07-01: Law 73/2021/QH14, from then: Law 120/2025/QH15)',
  })
  @IsCalendarDate('decisionDate')
  readonly decisionDate!: string;

  @ApiProperty({ example: 'COMMUNE_CHAIR', enum: ISSUING_BODIES })
  @IsIn(ISSUING_BODIES)
  readonly issuedBy!: IssuingBody;
}

export class RehabCaseChangeResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 2, description: 'The new version; also in `ETag`' }) readonly version!: number;
}
