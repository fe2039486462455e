import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ALL_REASON_CODES, reasonCodesOf, SERVICE_TYPES, type ServiceType } from './domain';

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused with the field named). */
export function IsCalendarDate(field: string): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: `${field} must be a date YYYY-MM-DD` }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a date YYYY-MM-DD` }),
  );
}

/** An agency code `<province>-<TYPE>[-<n>]`; whether the type is known and may receive is the domain's rule (422). */
export function IsAgencyCode(field: string): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(/^\d{2}-[A-Z_]+(?:-[0-9A-Za-z]+)?$/, { message: `${field} must be an agency code <province>-<TYPE>[-<n>], e.g. 22-EMPLOYMENT_CENTRE` }),
  );
}

/**
 * A coded reason: a code of some service type's list (400 naming the field otherwise); whether it is
 * one of the referral's own service type is the domain's rule (422 reason-code-not-for-service).
 */
export function IsReasonCode(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    IsIn(ALL_REASON_CODES, { message: 'reasonCode must be one of the reason codes of the service type (listed with reasonCode in /api/openapi.json)' }),
  );
}

/** The codes of each service type, for the OpenAPI description of `reasonCode`. */
export const REASON_CODES_DESCRIPTION = SERVICE_TYPES.map((serviceType) => `${serviceType}: ${reasonCodesOf(serviceType).join(', ')}`).join('; ');

/** Free text (reason, notes): may hold personal or health data, so it is encrypted and never shown in the history. */
export function IsFreeText(max = 2000): PropertyDecorator {
  return applyDecorators(IsString(), IsNotEmpty(), MaxLength(max));
}

export class ConsentScopeDto {
  @ApiProperty({ example: ['COUNSELLING'], enum: SERVICE_TYPES, isArray: true, description: 'The services the person agreed to be referred for' })
  @IsArray()
  @ArrayMaxSize(SERVICE_TYPES.length)
  @IsIn(SERVICE_TYPES, { each: true })
  readonly services!: ServiceType[];

  @ApiProperty({ example: false, description: 'Whether treatment data (addiction, HIV, methadone) may go with the referral: a consent of its own' })
  @IsBoolean()
  readonly treatmentData!: boolean;
}

/** The person's recorded consent to share their data with a non-state receiver (SUPPORT_MODEL, NGO). */
export class ConsentDto {
  @ApiProperty({ example: true }) @IsBoolean() readonly given!: boolean;

  @ApiProperty({ example: '2026-11-20', description: 'Day the signed consent was recorded, YYYY-MM-DD; not after today' })
  @IsCalendarDate('consent.recordedOn')
  readonly recordedOn!: string;

  @ApiProperty({ type: ConsentScopeDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentScopeDto)
  readonly scope!: ConsentScopeDto;
}

/** A legal ground for sharing without consent. */
export class SharingLegalBasisDto {
  @ApiProperty({ example: '27/QĐ-UBND', description: 'Decision number as printed on the decision' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ./_-]{0,63}$/u, { message: 'decisionNo must be a decision number (letters, digits, space . / _ -)' })
  readonly decisionNo!: string;

  @ApiProperty({ example: '2026-11-18', description: 'Date of the decision, YYYY-MM-DD' })
  @IsCalendarDate('legalBasis.decisionDate')
  readonly decisionDate!: string;

  @ApiProperty({ example: 'Law 91/2025/QH15, Art. 19(1)(b)', description: 'The article of law the sharing rests on (legal text, not personal data)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly lawArticle!: string;
}

export class ReferralChangeResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d20' }) readonly id!: string;
  @ApiProperty({ example: 1, description: 'The new version; also in `ETag`' }) readonly version!: number;
}

/** What the receiver will see of why the person is referred (issue 10 §10). */
export const RECEIVER_SEES = ['reason-text', 'reason-code-only'] as const;
export type ReceiverSees = (typeof RECEIVER_SEES)[number];

export class CreateReferralResponseDto extends ReferralChangeResponseDto {
  @ApiPropertyOptional({
    example: 'reason-code-only',
    enum: RECEIVER_SEES,
    description:
      'What the receiver sees of why the person is referred: `reason-text` (your free text and the code), or `reason-code-only` for a non-state ' +
      'receiver (SUPPORT_MODEL, NGO) without the person’s consent to treatment data or a legal basis. Absent for a draft (decided when it is sent)',
  })
  readonly receiverSees?: ReceiverSees;

  @ApiPropertyOptional({
    example:
      'The receiver 22-SUPPORT_MODEL-3 is a non-state agency without consent to treatment data or a legal basis: it sees only the coded reason PEER_SUPPORT (Cần hỗ trợ đồng đẳng / Asks for peer support), never your free text.',
    description: 'Present when the receiver sees the coded reason only: tells you so in plain words',
  })
  readonly warning?: string;
}

/** Example ids used across the OpenAPI document. */
export const EXAMPLE_REFERRAL_ID = '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d20';
export const EXAMPLE_PERSON_ID = '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10';
export const EXAMPLE_CASE_ID = '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d11';
