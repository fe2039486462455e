import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ALL_REASON_CODES } from '../domain';
import { ConsentDto, IsAgencyCode, IsCalendarDate, IsReasonCode, REASON_CODES_DESCRIPTION, SharingLegalBasisDto } from '../referral.dto';

export class SendReferralRequestDto {
  @ApiPropertyOptional({ example: '22-EMPLOYMENT_CENTRE', description: 'The receiver, when the draft has none or you change it' })
  @IsOptional()
  @IsAgencyCode('toAgency')
  readonly toAgency?: string;

  @ApiPropertyOptional({ type: ConsentDto, description: 'Needed for a non-state receiver (SUPPORT_MODEL, NGO) unless a legal basis is given' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  readonly consent?: ConsentDto;

  @ApiPropertyOptional({ type: SharingLegalBasisDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SharingLegalBasisDto)
  readonly legalBasis?: SharingLegalBasisDto;

  @ApiPropertyOptional({
    example: '2026-12-15',
    description: 'Your own due date for the answer, not before today; default: the catalogue’s working days from today',
  })
  @IsOptional()
  @IsCalendarDate('dueBy')
  readonly dueBy?: string;

  @ApiPropertyOptional({
    example: 'PEER_SUPPORT',
    enum: ALL_REASON_CODES,
    description:
      'Replaces the draft’s coded reason. Required when the receiver is non-state without consent to treatment data or a legal basis and the ' +
      `draft has none (422 reason-code-required): that receiver sees only the code. Codes by service type — ${REASON_CODES_DESCRIPTION}`,
  })
  @IsOptional()
  @IsReasonCode()
  readonly reasonCode?: string;
}
