import type { ErrorObject } from 'ajv';
import { textProblem } from '@tally/event-store';
import type { FieldProblem } from './api-error';
import { PATTERN_RULES } from '../shared/dto-rules';
import type { JsonSchema } from './dto-schema';

// A hostile body can fail thousands of array items; a reply names this many fields at most.
const MAX_PROBLEMS = 20;

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function rangeOf(min: unknown, max: unknown, unit: string): string {
  const [low, high] = [min, max].map((n) => (typeof n === 'number' ? String(n) : undefined));
  if (low !== undefined && high !== undefined) return `${low}-${high} ${unit}`;
  if (low !== undefined) return `at least ${low} ${unit}`;
  return `at most ${high ?? '?'} ${unit}`;
}

function reasonFor(error: ErrorObject, isWhole: boolean, part: string): string {
  const schema = (error.parentSchema ?? {}) as JsonSchema;
  switch (error.keyword) {
    case 'type':
      return isWhole && part === 'body'
        ? 'must be a JSON object'
        : `must be ${article(String(schema.type))}`;
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'pattern': {
      const pattern = String(schema.pattern);
      return `must be ${PATTERN_RULES[pattern] ?? `text matching ${pattern}`}`;
    }
    case 'minLength':
    case 'maxLength':
      return `must be text of ${rangeOf(schema.minLength, schema.maxLength, 'characters')}`;
    case 'format':
      return typeof error.data === 'string'
        ? (textProblem(error.data) ?? `must be ${String(schema.format)}`)
        : `must be ${String(schema.format)}`;
    case 'minimum':
    case 'maximum':
      return `must be ${article(String(schema.type))} from ${String(schema.minimum)} to ${String(schema.maximum)}`;
    case 'minItems':
    case 'maxItems':
      return `must have ${rangeOf(schema.minItems, schema.maxItems, 'items')}`;
    case 'uniqueItems':
      return 'must not repeat an item';
    default:
      return error.message ?? 'is not valid';
  }
}

/** `/options/0` → `options[0]`; the whole body or path is named by its part. */
function fieldOf(error: ErrorObject, part: string): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = error.params as { missingProperty?: string; additionalProperty?: string };
  const named = extra.missingProperty ?? extra.additionalProperty;
  if (named !== undefined) segments.push(named);
  if (segments.length === 0) return part === 'params' ? 'path' : part;
  return segments.reduce(
    (field, segment) =>
      /^\d+$/.test(segment) ? `${field}[${segment}]` : field ? `${field}.${segment}` : segment,
    '',
  );
}

/** One problem per field, the first ajv found (a wrong type hides the checks that assume it). */
export function problemsOf(errors: readonly ErrorObject[], part: string): FieldProblem[] {
  const byField = new Map<string, string>();
  for (const error of errors) {
    const field = fieldOf(error, part);
    if (byField.has(field)) continue;
    const isWhole = error.instancePath === '' && error.keyword === 'type';
    byField.set(field, reasonFor(error, isWhole, part));
    if (byField.size === MAX_PROBLEMS) break;
  }
  return [...byField].map(([field, reason]) => ({ field, reason }));
}
