import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ConsentDto, IsAgencyCode, IsCalendarDate, SharingLegalBasisDto } from '../referral.dto';

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
}
