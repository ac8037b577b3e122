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
export function jsonProblem(value: unknown, path = '$'): string | undefined {
  const found = problemAt(value, 0, new Set<object>());
  return found ? `${path}${found.path.reverse().join('')} ${found.reason}` : undefined;
}

/** The path is only built on the way back from a problem: valid JSON allocates none. */
interface Found {
  reason: string;
  /** Segments from the problem outwards. */
  path: string[];
}

function problemAt(value: unknown, depth: number, seen: Set<object>): Found | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { reason: problem, path: [] } : undefined;
  }
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : { reason: 'is not a finite number', path: [] };
  if (typeof value !== 'object') return { reason: `is a ${typeof value}, not JSON`, path: [] };
  if (depth >= MAX_JSON_DEPTH) return { reason: `nests deeper than ${MAX_JSON_DEPTH}`, path: [] };
  if (seen.has(value)) return { reason: 'is a circular reference', path: [] };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = problemAt(value[i], depth + 1, seen);
        if (found) {
          found.path.push(`[${i}]`);
          return found;
        }
      }
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return { reason: 'is not a plain object', path: [] };
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const keyProblem = textProblem(key);
      if (keyProblem) return { reason: `key ${keyProblem}`, path: [] };
      const found = problemAt((value as Record<string, unknown>)[key], depth + 1, seen);
      if (found) {
        found.path.push(`.${key}`);
        return found;
      }
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
