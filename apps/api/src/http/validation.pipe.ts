import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailed } from '@fairshare/domain';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Global validation: unknown fields refused, types transformed, every problem named by field. */
export const globalValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const unknown = fields.filter((f) => f.problems.some((p) => p.includes('should not exist')));
      return new ValidationFailed(
        unknown.length === fields.length && fields.length > 0 ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED',
        fields.map((f) => f.problems.join('; ')).join('. ') || 'The request is invalid.',
        { fields },
      );
    },
  });
