import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { REGISTRATION_SOURCES, REHAB_FORMS, type AgeGroup, type RegistrationSource, type RehabForm } from '../domain';
import { FACILITY_ID, IsCalendarDate, LegalBasisDto } from '../legal-basis.dto';

export class RegisterRehabCaseRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10', description: 'The registered person; the case lies in their residence commune' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  readonly personId!: string;

  @ApiProperty({ example: 'SELF_DECLARATION', enum: REGISTRATION_SOURCES })
  @IsIn(REGISTRATION_SOURCES)
  readonly source!: RegistrationSource;

  @ApiProperty({
    example: 'VOLUNTARY_COMMUNITY',
    enum: REHAB_FORMS,
    description: 'COMPULSORY_FACILITY cannot be decided at registration: it needs a prior determination that the person is addicted (422)',
  })
  @IsIn(REHAB_FORMS)
  readonly form!: RehabForm;

  @ApiProperty({ type: LegalBasisDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis!: LegalBasisDto;

  @ApiPropertyOptional({ example: 6, description: 'Term in months; required unless the form has no fixed term (substitution therapy)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  readonly termMonths?: number;

  @ApiPropertyOptional({ example: 'ADULT', enum: ['ADULT', 'MINOR'], description: 'Default: ADULT. Sent by the caller so the service reads no date of birth' })
  @IsOptional()
  @IsIn(['ADULT', 'MINOR'])
  readonly ageGroup?: AgeGroup;

  @ApiPropertyOptional({ example: 'QN-CSCN-01', description: 'Facility of a facility stay' })
  @IsOptional()
  @Matches(FACILITY_ID, { message: 'facilityId must be a facility code' })
  readonly facilityId?: string;

  @ApiPropertyOptional({ example: '2026-08-01', description: 'Registration date, YYYY-MM-DD; default the decision date' })
  @IsOptional()
  @IsCalendarDate('registeredOn')
  readonly registeredOn?: string;
}
