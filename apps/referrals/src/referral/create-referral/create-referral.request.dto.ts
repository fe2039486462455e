import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsUUID, ValidateIf, ValidateNested } from 'class-validator';
import { ALL_REASON_CODES, SERVICE_TYPES, URGENCIES, type ServiceType, type Urgency } from '../domain';
import {
  ConsentDto,
  EXAMPLE_CASE_ID,
  EXAMPLE_PERSON_ID,
  IsAgencyCode,
  IsCalendarDate,
  IsFreeText,
  IsReasonCode,
  REASON_CODES_DESCRIPTION,
  SharingLegalBasisDto,
} from '../referral.dto';

export class CreateReferralRequestDto {
  @ApiProperty({ example: EXAMPLE_PERSON_ID, description: 'The person, as registered in the cases service; you must be allowed to see them there' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  readonly personId!: string;

  @ApiPropertyOptional({ example: EXAMPLE_CASE_ID, description: 'The person’s rehab case the referral belongs to, when there is one' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  readonly caseId?: string;

  @ApiProperty({ example: '22-EMPLOYMENT_CENTRE', description: 'The receiving agency’s code; optional for a draft only' })
  @ValidateIf((body: CreateReferralRequestDto) => body.draft !== true || body.toAgency !== undefined)
  @IsAgencyCode('toAgency')
  readonly toAgency?: string;

  @ApiProperty({ example: 'JOB_PLACEMENT', enum: SERVICE_TYPES })
  @IsIn(SERVICE_TYPES)
  readonly serviceType!: ServiceType;

  @ApiProperty({
    example: 'Completed community rehab; wants work near home.',
    description: 'Why the person is referred. Encrypted with the person’s key; shown to the sender and the current receiver only',
  })
  @IsFreeText()
  readonly reason!: string;

  @ApiPropertyOptional({
    example: 'NO_STABLE_JOB',
    enum: ALL_REASON_CODES,
    description:
      'The coded reason, one of the service type’s codes. Required when the receiver is non-state (SUPPORT_MODEL, NGO) and neither the ' +
      'person’s consent to treatment data nor a legal basis is given: that receiver sees this code and its label, never your free text ' +
      `(422 reason-code-required). Codes by service type — ${REASON_CODES_DESCRIPTION}`,
  })
  @IsOptional()
  @IsReasonCode()
  readonly reasonCode?: string;

  @ApiProperty({ example: 'NORMAL', enum: URGENCIES, description: 'HIGH halves the receiver’s response time' })
  @IsIn(URGENCIES)
  readonly urgency!: Urgency;

  @ApiPropertyOptional({
    example: false,
    description: 'Whether treatment data goes along; only for health-related services (rehab admission, health/HIV/methadone)',
  })
  @IsOptional()
  @IsBoolean()
  readonly sharesTreatmentData?: boolean;

  @ApiPropertyOptional({ type: ConsentDto, description: 'Needed for a non-state receiver (SUPPORT_MODEL, NGO) unless a legal basis is given' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  readonly consent?: ConsentDto;

  @ApiPropertyOptional({ type: SharingLegalBasisDto, description: 'A legal ground for sharing without consent' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SharingLegalBasisDto)
  readonly legalBasis?: SharingLegalBasisDto;

  @ApiPropertyOptional({ example: '2026-12-15', description: 'Your own due date for the answer, not before today; default: the catalogue’s working days' })
  @IsOptional()
  @IsCalendarDate('dueBy')
  readonly dueBy?: string;

  @ApiPropertyOptional({
    example: false,
    description: 'true: keep it as a draft in your outbox (no consent check, no due date) and send it later with `POST /referrals/{id}/sending`',
  })
  @IsOptional()
  @IsBoolean()
  readonly draft?: boolean;
}
