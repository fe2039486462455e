import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LegalBasisDto } from '../legal-basis.dto';

/** A case as the officer sees it: status, form, legal basis and dates. No progress note text, no personal field. */
export class RehabCaseResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 1 }) readonly version!: number;
  @ApiProperty({ example: 'FORM_DECIDED' }) readonly status!: string;
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d11' }) readonly personId!: string | null;
  @ApiPropertyOptional({ example: 'ADDICTED', nullable: true }) readonly addiction!: string | null;
  @ApiPropertyOptional({ example: 'VOLUNTARY_COMMUNITY', nullable: true }) readonly form!: string | null;
  @ApiPropertyOptional({ type: LegalBasisDto, nullable: true }) readonly legalBasis!: LegalBasisDto | null;
  @ApiPropertyOptional({ example: 'LAW_120_2025_QH15', nullable: true }) readonly regime!: string | null;
  @ApiPropertyOptional({ example: 6, nullable: true }) readonly termMonths!: number | null;
  @ApiProperty({ example: 0 }) readonly reducedMonths!: number;
  @ApiPropertyOptional({ example: '2026-08-05', nullable: true }) readonly startedOn!: string | null;
  @ApiPropertyOptional({ example: '2027-02-05', nullable: true }) readonly expectedEndOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly completedOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly discontinuationReason!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, description: '{ regime, startedOn, termMonths, endsOn }' }) readonly postRehab!: object | null;
  @ApiPropertyOptional({ example: null, nullable: true, description: '{ detectedOn, duringPostRehabManagement }' }) readonly relapse!: object | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly closedOn!: string | null;
  @ApiPropertyOptional({
    example: null,
    nullable: true,
    enum: ['DRUG_USER_MANAGEMENT'],
    description: 'What the law expects next: after a "not addicted" determination, management of the illegal drug user (POST /api/v1/drug-user-managements)',
  })
  readonly nextStep!: 'DRUG_USER_MANAGEMENT' | null;
  @ApiPropertyOptional({ example: null, nullable: true, description: 'The management that took over a "not addicted" case' })
  readonly drugUserManagementId!: string | null;
}
