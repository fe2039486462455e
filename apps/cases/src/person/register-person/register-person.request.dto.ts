import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class ResidenceDto {
  @ApiProperty({ example: '22', description: 'Province code in force (2 digits)' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be 2 digits' })
  readonly provinceCode!: string;

  @ApiProperty({ example: '06793', description: 'Commune code in force (5 digits); scopes who may see the person' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode!: string;

  @ApiProperty({ example: 'Tổ 3, khu 5', description: 'Street address (personal data: encrypted)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  readonly address!: string;
}

export class RegisterPersonRequestDto {
  @ApiProperty({ example: 'Nguyễn Văn An', description: 'Full name (personal data: encrypted)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly fullName!: string;

  @ApiPropertyOptional({ example: '022090001234', description: '12-digit personal ID (CCCD); some persons have none' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{12}$/, { message: 'personalId must be exactly 12 digits' })
  readonly personalId?: string;

  @ApiProperty({ example: '1990-05-17', description: 'Date of birth, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  readonly dateOfBirth!: string;

  @ApiProperty({ example: 'MALE', enum: ['MALE', 'FEMALE'] })
  @IsIn(['MALE', 'FEMALE'])
  readonly sex!: 'MALE' | 'FEMALE';

  @ApiProperty({ type: ResidenceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ResidenceDto)
  readonly residence!: ResidenceDto;

  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'phone must be 9–15 digits, optionally starting with +' })
  readonly phone?: string;
}

export class PossibleDuplicateDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d11' }) readonly personId!: string;
  @ApiProperty({ example: ['same-name-close-birth-year'], isArray: true, enum: ['same-personal-id', 'same-name-close-birth-year'] })
  readonly reasons!: string[];
}

export class RegisterPersonResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 0 }) readonly version!: number;
  @ApiProperty({ type: [PossibleDuplicateDto], description: 'Possible duplicates the caller may read; matches outside its scope are never listed' })
  readonly possibleDuplicates!: PossibleDuplicateDto[];
  @ApiProperty({ description: 'The same sentence on every answer: matches outside the caller’s scope, if any, go to review' })
  readonly outsideScope!: string;
}
