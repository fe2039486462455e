import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { PROVIDER_KINDS, SECTORS, type ProviderKind, type Sector } from './domain';

export class RegisterTrainingProviderRequestDto {
  @ApiProperty({ example: 'Trường Cao đẳng Than – Khoáng sản Việt Nam' })
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300)
  readonly name!: string;
  @ApiProperty({ example: 'VOCATIONAL_SCHOOL', enum: PROVIDER_KINDS })
  @IsIn(PROVIDER_KINDS, { message: `kind must be one of ${PROVIDER_KINDS.join(', ')}` })
  readonly kind!: ProviderKind;
  @ApiProperty({ example: '06793', description: 'Where it trains (a commune code in force); its province follows' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;
  @ApiProperty({ example: 120, description: 'Trainees it can take at once' })
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1)
  @Max(100_000)
  readonly capacity!: number;
  @ApiPropertyOptional({ example: '22-NGO-7', nullable: true, description: 'The provider’s own agency code, when it signs in to see its enrolments' })
  @IsOptional()
  @Matches(/^\d{2}-[A-Z_]+(-[A-Za-z0-9]+)?$/, { message: 'agencyCode must be an agency code like 22-NGO-7' })
  readonly agencyCode?: string | null;
  @ApiProperty({ example: '2026-08-01' }) @IsCalendarDate('registeredOn') readonly registeredOn!: string;
}

export class RegisterEmployerRequestDto {
  @ApiProperty({ example: 'Công ty Than Cọc Sáu – TKV' })
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300)
  readonly name!: string;
  @ApiProperty({ example: '5700100256', description: 'Mã số thuế: 10 digits, or 10-3 for a branch' })
  @Matches(/^\d{10}(-\d{3})?$/, { message: 'taxCode must be 10 digits, or 10 digits, a dash and 3 digits' })
  readonly taxCode!: string;
  @ApiProperty({ example: '06793' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;
  @ApiProperty({ example: 'MINING', enum: SECTORS }) @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` }) readonly sector!: Sector;
  @ApiProperty({ example: '2026-08-01' }) @IsCalendarDate('registeredOn') readonly registeredOn!: string;
}

export class ChangeTrainingProviderRequestDto {
  @ApiProperty({ example: '2026-09-01', description: 'From when the change holds (not before the registration, not later than today)' })
  @IsCalendarDate('changedOn')
  readonly changedOn!: string;
  @ApiPropertyOptional({ example: 'Trường Cao đẳng Công nghiệp Cẩm Phả' })
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300)
  readonly name?: string;
  @ApiPropertyOptional({ example: 'VOCATIONAL_CENTRE', enum: PROVIDER_KINDS })
  @IsOptional()
  @IsIn(PROVIDER_KINDS, { message: `kind must be one of ${PROVIDER_KINDS.join(', ')}` })
  readonly kind?: ProviderKind;
  @ApiPropertyOptional({ example: '06793', description: 'A commune in force in the same province' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
  @ApiPropertyOptional({ example: 150 })
  @IsOptional()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1)
  @Max(100_000)
  readonly capacity?: number;
  @ApiPropertyOptional({ example: '22-NGO-7', nullable: true, description: 'null removes the sign-in of the provider' })
  @IsOptional()
  @Matches(/^\d{2}-[A-Z_]+(-[A-Za-z0-9]+)?$/, { message: 'agencyCode must be an agency code like 22-NGO-7' })
  readonly agencyCode?: string | null;
}

export class ChangeEmployerRequestDto {
  @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate('changedOn') readonly changedOn!: string;
  @ApiPropertyOptional({ example: 'Công ty Cổ phần Than Cọc Sáu – Vinacomin' })
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(300)
  readonly name?: string;
  @ApiPropertyOptional({ example: '5700100256-001' })
  @IsOptional()
  @Matches(/^\d{10}(-\d{3})?$/, { message: 'taxCode must be 10 digits, or 10 digits, a dash and 3 digits' })
  readonly taxCode?: string;
  @ApiPropertyOptional({ example: '06793' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
  @ApiPropertyOptional({ example: 'MANUFACTURING', enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` })
  readonly sector?: Sector;
}

export class CloseRegisterEntryRequestDto {
  @ApiProperty({ example: '2026-10-01', description: 'The day it stopped training / employing (it takes no new enrolment or job from then)' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;
}
