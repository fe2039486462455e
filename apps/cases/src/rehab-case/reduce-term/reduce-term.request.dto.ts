import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { LegalBasisDto } from '../legal-basis.dto';

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
}
