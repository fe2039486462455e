import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import {
  CLOSE_OUTCOMES,
  CONTRACT_TYPES,
  COUNSELLING_OUTCOMES,
  DROPOUT_REASONS,
  FOLLOW_UP_MONTHS,
  FUNDING_SOURCES,
  LEAVE_REASONS,
  LOAN_BANDS,
  LOAN_PROGRAMMES,
  NEEDS,
  NEXT_STEPS,
  NOT_NOW_REASONS,
  TRADE_CODES,
  TRAINING_LEVELS,
  WAGE_BANDS,
  type CloseOutcome,
  type ContractType,
  type CounsellingOutcome,
  type DropoutReason,
  type FollowUpMonth,
  type FundingSource,
  type LeaveReason,
  type LoanBand,
  type LoanProgramme,
  type Need,
  type NextStep,
  type NotNowReason,
  type TradeCode,
  type TrainingLevel,
  type WageBand,
} from '../domain';

const oneOf = (field: string, list: readonly (string | number)[]) => ({ message: `${field} must be one of ${list.join(', ')}` });

export class RecordResidenceRequestDto {
  @ApiProperty({ example: '06793', description: 'The commune of residence, in the record’s province' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;
}

export class AssessNeedRequestDto {
  @ApiProperty({ example: '2026-08-10' }) @IsCalendarDate('assessedOn') readonly assessedOn!: string;
  @ApiProperty({ example: 'WANTS_TRAINING', enum: NEEDS }) @IsIn(NEEDS, oneOf('need', NEEDS)) readonly need!: Need;
  @ApiPropertyOptional({ example: null, enum: NOT_NOW_REASONS, nullable: true, description: 'Required with NOT_NOW, refused otherwise' })
  @ValidateIf((o: { notNowReason?: unknown }) => o.notNowReason !== undefined && o.notNowReason !== null)
  @IsIn(NOT_NOW_REASONS, oneOf('notNowReason', NOT_NOW_REASONS))
  readonly notNowReason?: NotNowReason | null;
  @ApiPropertyOptional({ example: 'Đã từng phụ hồ 2 năm.', description: 'Encrypted with the person’s key' })
  @IsOptional()
  @IsString({ message: 'skills must be text' })
  @MaxLength(2000)
  readonly skills?: string;
  @ApiPropertyOptional({ example: 'Học nghề hàn ngắn hạn.', description: 'Encrypted with the person’s key' })
  @IsOptional()
  @IsString({ message: 'preferences must be text' })
  @MaxLength(2000)
  readonly preferences?: string;
}

export class HoldCounsellingSessionRequestDto {
  @ApiProperty({ example: '2026-08-12' }) @IsCalendarDate('heldOn') readonly heldOn!: string;
  @ApiProperty({ example: 'Tư vấn viên Nguyễn Thị Hoa', description: 'The officer who counselled' })
  @IsString({ message: 'counsellor must be text' })
  @MinLength(1, { message: 'counsellor must not be empty' })
  @MaxLength(200)
  readonly counsellor!: string;
  @ApiProperty({ example: 'PLAN_AGREED', enum: COUNSELLING_OUTCOMES })
  @IsIn(COUNSELLING_OUTCOMES, oneOf('outcome', COUNSELLING_OUTCOMES))
  readonly outcome!: CounsellingOutcome;
  @ApiProperty({ example: 'ENROL_IN_TRAINING', enum: NEXT_STEPS }) @IsIn(NEXT_STEPS, oneOf('nextStep', NEXT_STEPS)) readonly nextStep!: NextStep;
  @ApiPropertyOptional({ example: 'Gia đình ủng hộ.', description: 'Encrypted with the person’s key; never answered' })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(2000)
  readonly note?: string;
}

export class EnrolInTrainingRequestDto {
  @ApiProperty({ example: 'WELDING', enum: TRADE_CODES }) @IsIn(TRADE_CODES, oneOf('tradeCode', TRADE_CODES)) readonly tradeCode!: TradeCode;
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d11', description: 'A provider of the register' })
  @IsUUID('all', { message: 'providerId must be a UUID' })
  readonly providerId!: string;
  @ApiProperty({ example: 'UNDER_3_MONTHS', enum: TRAINING_LEVELS }) @IsIn(TRAINING_LEVELS, oneOf('level', TRAINING_LEVELS)) readonly level!: TrainingLevel;
  @ApiProperty({ example: '2026-09-01', description: 'May lie ahead' }) @IsCalendarDate('startOn') readonly startOn!: string;
  @ApiProperty({ example: '2026-11-30' }) @IsCalendarDate('expectedEndOn') readonly expectedEndOn!: string;
  @ApiProperty({ example: 'STATE_SUPPORT_AFTER_REHAB', enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES, oneOf('funding', FUNDING_SOURCES))
  readonly funding!: FundingSource;
}

export class RecordTrainingDropoutRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d12' }) @IsUUID('all', { message: 'enrolmentId must be a UUID' }) readonly enrolmentId!: string;
  @ApiProperty({ example: '2026-10-01' }) @IsCalendarDate('droppedOn') readonly droppedOn!: string;
  @ApiProperty({ example: 'FOUND_WORK', enum: DROPOUT_REASONS }) @IsIn(DROPOUT_REASONS, oneOf('reason', DROPOUT_REASONS)) readonly reason!: DropoutReason;
  @ApiPropertyOptional({ example: null, description: 'Encrypted with the person’s key; never answered' })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(2000)
  readonly note?: string;
}

export class CompleteTrainingRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d12' }) @IsUUID('all', { message: 'enrolmentId must be a UUID' }) readonly enrolmentId!: string;
  @ApiProperty({ example: '2026-11-28' }) @IsCalendarDate('completedOn') readonly completedOn!: string;
  @ApiProperty({ example: 'QN-2026-001234', description: 'Encrypted with the person’s key; never answered' })
  @IsString({ message: 'certificateNumber must be text' })
  @MinLength(1, { message: 'certificateNumber must not be empty' })
  @MaxLength(100)
  readonly certificateNumber!: string;
}

export class LoanDto {
  @ApiProperty({ example: 'JOB_CREATION', enum: LOAN_PROGRAMMES })
  @IsIn(LOAN_PROGRAMMES, oneOf('loan.programme', LOAN_PROGRAMMES))
  readonly programme!: LoanProgramme;
  @ApiProperty({ example: 'UP_TO_50M', enum: LOAN_BANDS }) @IsIn(LOAN_BANDS, oneOf('loan.amountBand', LOAN_BANDS)) readonly amountBand!: LoanBand;
}

export class StartJobRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d13', description: 'An employer of the register' })
  @IsUUID('all', { message: 'employerId must be a UUID' })
  readonly employerId!: string;
  @ApiProperty({ example: 'Thợ hàn' })
  @IsString({ message: 'jobTitle must be text' })
  @MinLength(1, { message: 'jobTitle must not be empty' })
  @MaxLength(200)
  readonly jobTitle!: string;
  @ApiProperty({ example: 'FIXED_TERM', enum: CONTRACT_TYPES })
  @IsIn(CONTRACT_TYPES, oneOf('contractType', CONTRACT_TYPES))
  readonly contractType!: ContractType;
  @ApiProperty({ example: '2026-12-01' }) @IsCalendarDate('startOn') readonly startOn!: string;
  @ApiProperty({ example: '6M_TO_8M', enum: WAGE_BANDS }) @IsIn(WAGE_BANDS, oneOf('wageBand', WAGE_BANDS)) readonly wageBand!: WageBand;
  @ApiPropertyOptional({ type: LoanDto, nullable: true, description: 'A preferential loan of the Social Policy Bank' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LoanDto)
  readonly loan?: LoanDto | null;
}

export class RecordJobFollowUpRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d14' }) @IsUUID('all', { message: 'placementId must be a UUID' }) readonly placementId!: string;
  @ApiProperty({ example: 3, enum: FOLLOW_UP_MONTHS }) @IsIn(FOLLOW_UP_MONTHS, oneOf('month', FOLLOW_UP_MONTHS)) readonly month!: FollowUpMonth;
  @ApiProperty({ example: '2027-03-01' }) @IsCalendarDate('checkedOn') readonly checkedOn!: string;
  @ApiProperty({ example: true, description: 'False ends the placement that day: the later checks are no longer due' })
  @IsBoolean({ message: 'stillWorking must be true or false' })
  readonly stillWorking!: boolean;
}

export class LeaveJobRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d14' }) @IsUUID('all', { message: 'placementId must be a UUID' }) readonly placementId!: string;
  @ApiProperty({ example: '2027-02-15' }) @IsCalendarDate('leftOn') readonly leftOn!: string;
  @ApiProperty({ example: 'CONTRACT_ENDED', enum: LEAVE_REASONS }) @IsIn(LEAVE_REASONS, oneOf('reason', LEAVE_REASONS)) readonly reason!: LeaveReason;
}

export class CloseEmploymentRecordRequestDto {
  @ApiProperty({ example: '2027-06-30' }) @IsCalendarDate('closedOn') readonly closedOn!: string;
  @ApiProperty({ example: 'EMPLOYED', enum: CLOSE_OUTCOMES }) @IsIn(CLOSE_OUTCOMES, oneOf('outcome', CLOSE_OUTCOMES)) readonly outcome!: CloseOutcome;
}
