import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ALL_REASON_CODES } from '../domain';
import { IsAgencyCode, IsFreeText, IsReasonCode, REASON_CODES_DESCRIPTION, SharingLegalBasisDto } from '../referral.dto';

export class RedirectReferralRequestDto {
  @ApiProperty({ example: '22-HOME_AFFAIRS', description: 'The new receiver: not yourself, not the sender, not an agency the referral was already with' })
  @IsAgencyCode('toAgency')
  readonly toAgency!: string;

  @ApiPropertyOptional({ type: SharingLegalBasisDto, description: 'Needed to redirect to a non-state receiver the consent does not cover' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SharingLegalBasisDto)
  readonly legalBasis?: SharingLegalBasisDto;

  @ApiPropertyOptional({
    example: 'PEER_SUPPORT',
    enum: ALL_REASON_CODES,
    description:
      'Required to redirect to a non-state receiver (SUPPORT_MODEL, NGO) without consent to treatment data or a legal basis when the referral ' +
      'has no coded reason yet (422 reason-code-required); another code than the sender’s is refused (422 reason-code-already-recorded). ' +
      `Codes by service type — ${REASON_CODES_DESCRIPTION}`,
  })
  @IsOptional()
  @IsReasonCode()
  readonly reasonCode?: string;

  @ApiPropertyOptional({ example: 'The provincial centre runs this course.', description: 'Encrypted; never shown in the history' })
  @IsOptional()
  @IsFreeText()
  readonly note?: string;
}
