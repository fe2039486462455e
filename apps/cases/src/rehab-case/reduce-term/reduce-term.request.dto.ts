import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, LegalBasisDto } from '../legal-basis.dto';

/** The facility's written proposal to the court (tờ trình) a compulsory term reduction rests on. */
export class TermReductionProposalDto {
  @ApiProperty({ example: '12/TTr-CSCN', description: 'Number of the proposal as printed' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ./_-]{0,63}$/u, { message: 'proposalNo must be a document number (letters, digits, space . / _ -)' })
  readonly proposalNo!: string;

  @ApiProperty({ example: '2027-02-10', description: 'Date of the proposal, on or before the court decision' })
  @IsCalendarDate('proposedOn')
  readonly proposedOn!: string;
}

export class ReduceTermRequestDto {
  @ApiProperty({ example: 3, description: 'Months taken off the term (range set by the law of the form decision)' })
  @IsInt()
  @Min(1)
  @Max(36)
  readonly months!: number;

  @ApiProperty({ type: LegalBasisDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis!: LegalBasisDto;

  @ApiPropertyOptional({
    type: TermReductionProposalDto,
    description:
      "Compulsory rehab: the facility's proposal; the decision itself is the court's (issuedBy COURT). A facility cannot shorten a court-ordered term.",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TermReductionProposalDto)
  readonly proposal?: TermReductionProposalDto;
}
