import { MAX_JSON_DEPTH } from './limits';

// PostgreSQL's jsonb rejects \u0000 and unpaired surrogates; catching them here turns a
// database error into a typed one before anything is written.
const FORBIDDEN_IN_TEXT = new RegExp(
  // eslint-disable-next-line no-control-regex -- jsonb cannot store NUL; finding it here keeps it a typed error
  '\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
);

export function textProblem(value: string): string | undefined {
  return FORBIDDEN_IN_TEXT.test(value)
    ? 'contains a NUL character or an unpaired surrogate'
    : undefined;
}

/** Returns why `value` is not plain JSON (path included), or undefined when it is. */
export function jsonProblem(
  value: unknown,
  path = '$',
  depth = 0,
  seen = new Set<object>(),
): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? `${path} ${problem}` : undefined;
  }
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${path} is not a finite number`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not JSON`;
  if (depth >= MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH}`;
  if (seen.has(value)) return `${path} is a circular reference`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = jsonProblem(value[i], `${path}[${i}]`, depth + 1, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `${path} is not a plain object`;
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `${path} key ${keyProblem}`;
      const problem = jsonProblem(child, `${path}.${key}`, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
