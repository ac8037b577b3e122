import { ID_PATTERN } from '@tally/domain';
import { textProblem } from '@tally/event-store';
import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

export { ID_PATTERN };
export const ID_RULE = 'letters, digits and _ . : -, 1-64 characters';

/** A string of min..max characters that PostgreSQL's jsonb can hold (no NUL, no lone surrogate). */
export function IsText(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isText',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.length >= min &&
          value.length <= max &&
          textProblem(value) === undefined,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be text of ${min}-${max} characters`,
          options,
        ),
      },
    },
    options,
  );
}
