import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ID_PATTERN, REACTION_TYPE_PATTERN, USERNAME_PATTERN } from '@tally/domain';

export { ID_PATTERN };
export const ID_RULE = 'letters, digits and _ . : -, 1-64 characters';

/** What each pattern of the contract means, in words, for validation messages. */
export const PATTERN_RULES: Record<string, string> = {
  [ID_PATTERN.source]: ID_RULE,
  [USERNAME_PATTERN.source]: '3-32 characters of letters, digits and _ . -',
  [REACTION_TYPE_PATTERN.source]: 'a lowercase letter then up to 31 of a-z, 0-9 and _',
};

/**
 * Text that PostgreSQL's jsonb can hold: no NUL, no unpaired surrogate. A JSON Schema format,
 * registered with the validator (see schema-validation.ts) and shown in the OpenAPI document.
 */
export const TEXT_FORMAT = 'text';

type Extra = Omit<ApiPropertyOptions, 'type' | 'pattern'>;

/** An id of the contract's id rule (ID_PATTERN). */
export const IdProperty = (extra: Extra = {}): PropertyDecorator =>
  ApiProperty({ type: String, pattern: ID_PATTERN.source, ...extra } as ApiPropertyOptions);

/** An id that may be left out (a UUID is generated); `null` is a wrong value, not an absent one. */
export const OptionalIdProperty = (extra: Extra = {}): PropertyDecorator =>
  ApiPropertyOptional({ type: String, pattern: ID_PATTERN.source, ...extra } as ApiPropertyOptions);

/** Text of min..max characters. */
export const TextProperty = (min: number, max: number, extra: Extra = {}): PropertyDecorator =>
  ApiProperty({
    type: String,
    minLength: min,
    maxLength: max,
    format: TEXT_FORMAT,
    ...extra,
  } as ApiPropertyOptions);

/** An integer from min to max. */
export const IntegerProperty = (min: number, max: number, extra: Extra = {}): PropertyDecorator =>
  ApiProperty({ type: 'integer', minimum: min, maximum: max, ...extra } as ApiPropertyOptions);

/** A global position: a decimal string (64-bit). */
export const PositionProperty = (extra: Extra = {}): PropertyDecorator =>
  ApiProperty({
    type: String,
    pattern: '^\\d+$',
    description: 'global position (64-bit, as a decimal string)',
    ...extra,
  } as ApiPropertyOptions);

/** A stream revision: a number. */
export const RevisionProperty = (extra: Extra = {}): PropertyDecorator =>
  ApiProperty({
    type: 'integer',
    description: 'the stream revision',
    ...extra,
  } as ApiPropertyOptions);
