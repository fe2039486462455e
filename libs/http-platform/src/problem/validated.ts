import { ValidationPipe } from '@nestjs/common';
import { ProblemHttpException, validationProblem } from './problem-details';
import { fieldErrorsFromValidation } from './validation';

/**
 * The platform's validation, with the DTO named explicitly. The global pipe learns a parameter's
 * type from decorator metadata, which tsx/esbuild do not emit: under them it would let every body
 * through unchecked. Naming the type here keeps validation on whatever compiles the service (with
 * metadata present both pipes run; the second finds nothing new).
 */
export function validated(type: abstract new (...args: never[]) => object): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    expectedType: type as new () => object,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ProblemHttpException(validationProblem(fieldErrorsFromValidation(errors))),
  });
}
