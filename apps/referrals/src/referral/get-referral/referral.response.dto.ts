import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMPLETION_OUTCOMES, DECLINE_REASONS, SERVICE_TYPES, URGENCIES } from '../domain';
import { EXAMPLE_CASE_ID, EXAMPLE_PERSON_ID, EXAMPLE_REFERRAL_ID, SharingLegalBasisDto } from '../referral.dto';

export class ConsentStateDto {
  @ApiProperty({ example: true }) readonly given!: boolean;
  @ApiProperty({ example: '2026-11-20' }) readonly recordedOn!: string;
  @ApiProperty({ example: ['COUNSELLING'], enum: SERVICE_TYPES, isArray: true }) readonly services!: string[];
  @ApiPropertyOptional({ example: false, description: 'Consent to share treatment data; shown for health-related services only' }) readonly treatmentData?: boolean;
  @ApiProperty({ example: false, description: 'The person withdrew consent: no further sharing on its strength' }) readonly withdrawn!: boolean;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly withdrawnOn!: string | null;
}

/**
 * A referral as your agency may see it. The sender and the current receiver see what the service
 * needs (the receiver's treatment-data flags only for a health-related service); an agency the
 * referral passed through earlier sees where it went and how it stands, not why (no reason, no
 * consent). Fields not shared with you are absent.
 */
export class ReferralResponseDto {
  @ApiProperty({ example: EXAMPLE_REFERRAL_ID }) readonly id!: string;
  @ApiProperty({ example: 0, description: 'Also in `ETag`: send it as `If-Match`' }) readonly version!: number;
  @ApiProperty({ example: 'sender', enum: ['sender', 'receiver', 'earlier-receiver'], description: 'How your agency stands to the referral' }) readonly yourRole!: string;
  @ApiProperty({ example: 'SENT', enum: ['DRAFT', 'SENT', 'REDIRECTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'COMPLETED'] }) readonly status!: string;
  @ApiProperty({ example: EXAMPLE_PERSON_ID }) readonly personId!: string;
  @ApiPropertyOptional({ example: EXAMPLE_CASE_ID, nullable: true }) readonly caseId!: string | null;
  @ApiProperty({ example: '22-COMMUNE-06793' }) readonly fromAgency!: string;
  @ApiPropertyOptional({ example: '22-EMPLOYMENT_CENTRE', nullable: true, description: 'The current receiver' }) readonly toAgency!: string | null;
  @ApiPropertyOptional({ example: ['22-EMPLOYMENT_CENTRE'], description: 'Every receiver so far, in order (sender only)' }) readonly chain?: string[];
  @ApiProperty({ example: 'JOB_PLACEMENT', enum: SERVICE_TYPES }) readonly serviceType!: string;
  @ApiProperty({ example: 'NORMAL', enum: URGENCIES }) readonly urgency!: string;
  @ApiPropertyOptional({ example: 'Completed community rehab; wants work near home.', nullable: true, description: 'null once the person’s data was erased' }) readonly reason?: string | null;
  @ApiPropertyOptional({ example: false, description: 'Whether treatment data goes along (health-related services only)' }) readonly sharesTreatmentData?: boolean;
  @ApiPropertyOptional({ type: ConsentStateDto, nullable: true }) readonly consent?: ConsentStateDto | null;
  @ApiPropertyOptional({ type: SharingLegalBasisDto, nullable: true }) readonly legalBasis?: SharingLegalBasisDto | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly proposedOn!: string | null;
  @ApiPropertyOptional({ example: '2026-11-27', nullable: true }) readonly sentOn!: string | null;
  @ApiPropertyOptional({ example: '2026-12-11', nullable: true, description: 'The current receiver’s last day to accept or decline' }) readonly dueOn!: string | null;
  @ApiProperty({ example: false, description: 'Still waiting after the due date' }) readonly overdue!: boolean;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly acceptedOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, enum: DECLINE_REASONS }) readonly declineReason!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, enum: COMPLETION_OUTCOMES }) readonly outcome!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly closedOn!: string | null;
}
