import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUUID, Matches, Max, Min, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { REGISTRATION_SOURCES, REHAB_FORMS, type RegistrationSource, type RehabForm } from '../domain';
import { FACILITY_ID, IsCalendarDate, LegalBasisDto } from '../legal-basis.dto';

/** A field that belongs to the form decision: refused (400, field named) when the body has no `form`. */
function OnlyWithForm(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWithForm',
    validator: {
      validate: (_value: unknown, args) => (args?.object as { form?: unknown } | undefined)?.form !== undefined,
      defaultMessage: () => `${field} is given only with a form; without one the case waits for its form decision`,
    },
  });
}

const hasForm = (body: RegisterRehabCaseRequestDto): boolean => body.form !== undefined;

export class RegisterRehabCaseRequestDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10', description: 'The registered person; the case lies in their residence commune' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  readonly personId!: string;

  @ApiProperty({ example: 'SELF_DECLARATION', enum: REGISTRATION_SOURCES })
  @IsIn(REGISTRATION_SOURCES)
  readonly source!: RegistrationSource;

  @ApiPropertyOptional({
    example: 'VOLUNTARY_COMMUNITY',
    enum: REHAB_FORMS,
    description:
      'Voluntary forms are registered with their form and legal basis in one call. Compulsory rehab is registered WITHOUT a form ' +
      '(omit `form`, `legalBasis`, `termMonths`, `facilityId`; give `registeredOn`), then the addiction determination ' +
      '(`POST /rehab-cases/{id}/addiction-determination`), then the court decision (`POST /rehab-cases/{id}/form-decision`). ' +
      'COMPULSORY_FACILITY given here is refused (422): it needs a prior determination that the person is addicted',
  })
  @IsOptional()
  @IsIn(REHAB_FORMS)
  readonly form?: RehabForm;

  @ApiPropertyOptional({ type: LegalBasisDto, description: 'Required with `form`, refused without it' })
  @ValidateIf((body: RegisterRehabCaseRequestDto) => hasForm(body) || body.legalBasis !== undefined)
  @OnlyWithForm('legalBasis')
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis?: LegalBasisDto;

  @ApiPropertyOptional({
    example: 6,
    description:
      'Term in months; required unless the form has no fixed term (substitution therapy). The allowed range depends on the law in force on the decision date, ' +
      "the person's age on that date (the service reads it from their date of birth) and their earlier courses (counted by the service)",
  })
  @IsOptional()
  @OnlyWithForm('termMonths')
  @IsInt()
  @Min(1)
  @Max(60)
  readonly termMonths?: number;

  @ApiPropertyOptional({ example: 'QN-CSCN-01', description: 'Facility of a facility stay' })
  @IsOptional()
  @OnlyWithForm('facilityId')
  @Matches(FACILITY_ID, { message: 'facilityId must be a facility code' })
  readonly facilityId?: string;

  @ApiPropertyOptional({ example: '2026-08-01', description: 'Registration date, YYYY-MM-DD; default the decision date; required without a form' })
  @ValidateIf((body: RegisterRehabCaseRequestDto) => !hasForm(body) || body.registeredOn !== undefined)
  @IsDefined({ message: 'registeredOn is required when no form is given' })
  @IsCalendarDate('registeredOn')
  readonly registeredOn?: string;
}
