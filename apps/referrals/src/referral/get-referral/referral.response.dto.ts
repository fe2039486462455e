import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMPLETION_OUTCOMES, DECLINE_REASONS, SERVICE_TYPES, URGENCIES } from '../domain';
import { EXAMPLE_CASE_ID, EXAMPLE_PERSON_ID, EXAMPLE_REFERRAL_ID } from '../referral.dto';

/**
 * The consent as your agency may see it. The sender sees all it recorded; a receiver only what
 * concerns its own service (whether the consent covers it, when it was recorded, and treatment data
 * only for a health-related service); a receiver whose ground lapsed only that and when it was withdrawn.
 */
export class ConsentStateDto {
  @ApiPropertyOptional({ example: true }) readonly given?: boolean;
  @ApiPropertyOptional({ example: '2026-11-20' }) readonly recordedOn?: string;
  @ApiPropertyOptional({ example: ['COUNSELLING'], enum: SERVICE_TYPES, isArray: true, description: 'Every service the consent lists (sender only)' })
  readonly services?: string[];
  @ApiPropertyOptional({ example: true, description: 'Whether the consent covers this referral’s service (receivers)' }) readonly coversService?: boolean;
  @ApiPropertyOptional({ example: false, description: 'Consent to share treatment data; shown to a receiver for health-related services only' })
  readonly treatmentData?: boolean;
  @ApiProperty({ example: false, description: 'The person withdrew consent: no further sharing on its strength' }) readonly withdrawn!: boolean;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly withdrawnOn!: string | null;
}

/** A coded reason's label in both languages (never treatment data). */
export class ReasonLabelDto {
  @ApiProperty({ example: 'Chưa có việc làm ổn định' }) readonly vi!: string;
  @ApiProperty({ example: 'Has no stable job' }) readonly en!: string;
}

/** The legal ground for sharing; the decision number is left out for a non-state receiver that may not see the case. */
export class LegalBasisViewDto {
  @ApiPropertyOptional({ example: '27/QĐ-UBND' }) readonly decisionNo?: string;
  @ApiProperty({ example: '2026-11-18' }) readonly decisionDate!: string;
  @ApiProperty({ example: 'Law 91/2025/QH15, Art. 19(1)(b)' }) readonly lawArticle!: string;
}

/**
 * A referral as your agency may see it. The sender and the current receiver see what the service
 * needs (the receiver's treatment-data flags only for a health-related service); an agency the
 * referral passed through earlier, and a non-state receiver whose only ground was a consent since
 * withdrawn, see where it went and how it stands, not why (no reason, no consent details, no case).
 * Fields not shared with you are absent.
 */
export class ReferralResponseDto {
  @ApiProperty({ example: EXAMPLE_REFERRAL_ID }) readonly id!: string;
  @ApiProperty({ example: 0, description: 'Also in `ETag`: send it as `If-Match`' }) readonly version!: number;
  @ApiProperty({ example: 'sender', enum: ['sender', 'receiver', 'earlier-receiver'], description: 'How your agency stands to the referral' })
  readonly yourRole!: string;
  @ApiProperty({ example: 'SENT', enum: ['DRAFT', 'SENT', 'REDIRECTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'COMPLETED'] }) readonly status!: string;
  @ApiProperty({ example: EXAMPLE_PERSON_ID }) readonly personId!: string;
  @ApiPropertyOptional({
    example: EXAMPLE_CASE_ID,
    nullable: true,
    description: 'Absent for an earlier receiver, and for a non-state receiver unless treatment data goes with the referral on a ground that covers it',
  })
  readonly caseId?: string | null;
  @ApiProperty({ example: '22-COMMUNE-06793' }) readonly fromAgency!: string;
  @ApiPropertyOptional({ example: '22-EMPLOYMENT_CENTRE', nullable: true, description: 'The current receiver' }) readonly toAgency!: string | null;
  @ApiPropertyOptional({ example: ['22-EMPLOYMENT_CENTRE'], description: 'Every receiver so far, in order (sender only)' }) readonly chain?: string[];
  @ApiProperty({ example: 'JOB_PLACEMENT', enum: SERVICE_TYPES }) readonly serviceType!: string;
  @ApiProperty({ example: 'NORMAL', enum: URGENCIES }) readonly urgency!: string;
  @ApiPropertyOptional({
    example: 'Completed community rehab; wants work near home.',
    nullable: true,
    description:
      'The sender’s free text. null once the person’s data was erased, and for a non-state receiver (SUPPORT_MODEL, NGO) without a ground that ' +
      'covers treatment data (a legal basis, or consent to treatment data): that receiver sees `reasonCode` and `reasonLabel` only',
  })
  readonly reason?: string | null;
  @ApiPropertyOptional({
    example: 'NO_STABLE_JOB',
    nullable: true,
    description: 'The coded reason, one of the service type’s list; null for a referral made without one (a state receiver reads the text)',
  })
  readonly reasonCode?: string | null;
  @ApiPropertyOptional({ type: ReasonLabelDto, nullable: true, description: 'The label of `reasonCode` in Vietnamese and English' })
  readonly reasonLabel?: ReasonLabelDto | null;
  @ApiPropertyOptional({ example: false, description: 'Whether treatment data goes along (health-related services only)' })
  readonly sharesTreatmentData?: boolean;
  @ApiPropertyOptional({ type: ConsentStateDto, nullable: true }) readonly consent?: ConsentStateDto | null;
  @ApiPropertyOptional({ type: LegalBasisViewDto, nullable: true }) readonly legalBasis?: LegalBasisViewDto | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly proposedOn!: string | null;
  @ApiPropertyOptional({ example: '2026-11-27', nullable: true }) readonly sentOn!: string | null;
  @ApiPropertyOptional({ example: '2026-12-11', nullable: true, description: 'The current receiver’s last day to accept or decline' }) readonly dueOn!:
    string | null;
  @ApiProperty({
    example: false,
    description: 'The due date was counted over a year without an official holiday decision (rule-based fallback): it may move',
  })
  readonly dueOnProvisional!: boolean;
  @ApiProperty({ example: false, description: 'Still waiting after the due date' }) readonly overdue!: boolean;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly acceptedOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, enum: DECLINE_REASONS }) readonly declineReason!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, enum: COMPLETION_OUTCOMES }) readonly outcome!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly closedOn!: string | null;
}
