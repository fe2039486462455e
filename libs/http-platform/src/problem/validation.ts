import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { hostileShapeProblem } from './hostile-input';
import { ProblemHttpException, validationProblem, type FieldError } from './problem-details';

/** Client-chosen property names are echoed in `field`: keep them short. */
const MAX_FIELD_LENGTH = 120;

/** Flattens class-validator's tree: nested DTOs and arrays give `residence.communeCode`, `items.0.code`. */
export function fieldErrorsFromValidation(errors: readonly ValidationError[], parentPath = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = (parentPath ? `${parentPath}.${error.property}` : error.property).slice(0, MAX_FIELD_LENGTH);
    for (const message of Object.values(error.constraints ?? {})) result.push({ field, message });
    if (error.children?.length) result.push(...fieldErrorsFromValidation(error.children, field));
  }
  return result;
}

/**
 * Refuses hostile shapes (too deep, prototype keys) before class-transformer recurses into them. The
 * HTTP middleware already did for bodies and queries; this covers whatever else reaches the pipe
 * (NATS payloads of a service that inherits the app's config).
 */
class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const hostile = hostileShapeProblem(value, metadata.type === 'query' ? 'query' : 'body');
    if (hostile) throw new ProblemHttpException(hostile);
    return super.transform(value, metadata);
  }
}

/**
 * The global pipe: unknown fields are refused (not silently dropped, so a client learns of a typo),
 * and class-validator keeps neither the target nor the rejected values (they may be personal).
 */
export function createValidationPipe(): ValidationPipe {
  return new PlatformValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ProblemHttpException(validationProblem(fieldErrorsFromValidation(errors))),
  });
}
