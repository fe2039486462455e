import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsAgencyCode, IsFreeText, SharingLegalBasisDto } from '../referral.dto';

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

  @ApiPropertyOptional({ example: 'The provincial centre runs this course.', description: 'Encrypted; never shown in the history' })
  @IsOptional()
  @IsFreeText()
  readonly note?: string;
}
