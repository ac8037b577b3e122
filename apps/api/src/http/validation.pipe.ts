import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validationFailed, type FieldProblem } from './api-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const MAX_BODY_DEPTH = 32;

/** Iterative, so a hostile body nested thousands deep cannot overflow the stack. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * class-validator on the same DTOs that generate the OpenAPI document. Nest's pipe lets a
 * `null` or array body through unvalidated; a body must be a JSON object here.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validateCustomDecorators: false,
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw validationFailed([{ field: 'body', reason: 'must be a JSON object' }]);
      }
      if (deeperThan(value, MAX_BODY_DEPTH)) {
        throw validationFailed([
          { field: 'body', reason: `nests deeper than ${MAX_BODY_DEPTH} levels` },
        ]);
      }
    }
    return super.transform(value, metadata);
  }
}
