import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused with the field named). */
export function IsCalendarDate(field: string): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: `${field} must be a date YYYY-MM-DD` }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a date YYYY-MM-DD` }),
  );
}
