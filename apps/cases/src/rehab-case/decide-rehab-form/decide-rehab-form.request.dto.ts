import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { REHAB_FORMS, type RehabForm } from '../domain';
import { FACILITY_ID, LegalBasisDto } from '../legal-basis.dto';

export class DecideRehabFormRequestDto {
  @ApiProperty({ example: 'COMPULSORY_FACILITY', enum: REHAB_FORMS, description: 'COMPULSORY_FACILITY needs a prior addiction determination (422 otherwise)' })
  @IsIn(REHAB_FORMS)
  readonly form!: RehabForm;

  @ApiProperty({
    type: LegalBasisDto,
    example: { decisionNo: '07/QĐ-TA', decisionDate: '2026-08-10', issuedBy: 'COURT' },
    description: 'The decision on the form (for compulsory rehab: the court decision); its date selects the law',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis!: LegalBasisDto;

  @ApiPropertyOptional({
    example: 24,
    description:
      "Term in months; required unless the form has no fixed term (substitution therapy). The allowed range depends on the law in force on the decision date, the person's age on that date (from their date of birth) and whether they had an earlier course",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  readonly termMonths?: number;

  @ApiPropertyOptional({ example: 'QN-CSCN-01', description: 'Facility of a facility stay' })
  @IsOptional()
  @Matches(FACILITY_ID, { message: 'facilityId must be a facility code' })
  readonly facilityId?: string;
}
