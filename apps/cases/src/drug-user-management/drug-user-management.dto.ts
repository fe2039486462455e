import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { IsCalendarDate, LegalBasisDto } from '../rehab-case/legal-basis.dto';
import { EARLY_TERMINATION_REASONS, type EarlyTerminationReason } from './domain';

export class DecideDrugUserManagementRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' })
  @IsUUID()
  readonly personId!: string;

  @ApiPropertyOptional({
    example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d11',
    description: 'The rehab case whose addiction determination found the person not addicted, when management follows one',
  })
  @IsOptional()
  @IsUUID()
  readonly rehabCaseId?: string;

  @ApiProperty({ type: LegalBasisDto, description: "The commune chair's decision (issuedBy COMMUNE_CHAIR), e.g. 45/QĐ-UBND" })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis!: LegalBasisDto;

  @ApiProperty({ example: '2026-08-01', description: 'Date of the positive test the commune police reported' })
  @IsCalendarDate('positiveTestOn')
  readonly positiveTestOn!: string;

  @ApiProperty({ example: '2026-08-05', description: 'First day of management (on or after the decision)' })
  @IsCalendarDate('startsOn')
  readonly startsOn!: string;
}

export class RecordDrugTestRequestDto {
  @ApiProperty({ example: '2026-10-05' })
  @IsCalendarDate('testedOn')
  readonly testedOn!: string;

  @ApiProperty({ example: false, description: 'A positive test restarts the one-year term from the test date' })
  @IsBoolean()
  readonly positive!: boolean;
}

export class EndDrugUserManagementRequestDto {
  @ApiProperty({ example: '2027-08-05', description: 'On or after the end of the term' })
  @IsCalendarDate('endedOn')
  readonly endedOn!: string;
}

export class TerminateDrugUserManagementEarlyRequestDto {
  @ApiProperty({ example: '2026-11-20' })
  @IsCalendarDate('terminatedOn')
  readonly terminatedOn!: string;

  @ApiProperty({ enum: EARLY_TERMINATION_REASONS, example: 'DETERMINED_ADDICTED' })
  @IsIn(EARLY_TERMINATION_REASONS)
  readonly reason!: EarlyTerminationReason;
}

export class DrugUserManagementChangeResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d12' }) readonly id!: string;
  @ApiProperty({ example: 1, description: 'The new version; also in `ETag`' }) readonly version!: number;
}

export class DrugUserManagementResponseDto {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly version!: number;
  @ApiProperty({ enum: ['IN_PROGRESS', 'ENDED', 'TERMINATED_EARLY'] }) readonly status!: string;
  @ApiProperty() readonly personId!: string;
  @ApiProperty({ nullable: true, type: String }) readonly rehabCaseId!: string | null;
  @ApiProperty({ type: LegalBasisDto }) readonly legalBasis!: LegalBasisDto;
  @ApiProperty({ example: 'LAW_73_2021_QH14' }) readonly regime!: string;
  @ApiProperty() readonly positiveTestOn!: string;
  @ApiProperty() readonly startsOn!: string;
  @ApiProperty({ description: 'End of the term (moved by a positive test during management)' }) readonly endsOn!: string;
  @ApiProperty({ nullable: true, type: String }) readonly endedOn!: string | null;
  @ApiProperty({ nullable: true, enum: EARLY_TERMINATION_REASONS }) readonly terminationReason!: EarlyTerminationReason | null;
}
