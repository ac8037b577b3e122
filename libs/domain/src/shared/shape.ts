/**
 * Tiny structural checks for event data read back from the log, where the compiler's types
 * no longer hold: an older writer, a hand-written INSERT or a bug may have stored anything.
 * A check answers why `value` (found at `path`) is not of its shape, or undefined.
 */
export type Check = (value: unknown, path: string) => string | undefined;

export const text: Check = (value, path) =>
  typeof value === 'string' ? undefined : `${path} must be a string`;

/** An id or a key: a string with at least one character. */
export const nonEmptyText: Check = (value, path) =>
  typeof value === 'string' && value.length > 0 ? undefined : `${path} must be a non-empty string`;

export const flag: Check = (value, path) =>
  typeof value === 'boolean' ? undefined : `${path} must be a boolean`;

/** A whole number, at least `min`. */
export const integer =
  (min: number): Check =>
  (value, path) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min
      ? undefined
      : `${path} must be an integer >= ${min}`;

export const nullable =
  (check: Check): Check =>
  (value, path) =>
    value === null ? undefined : check(value, path);

export const listOf =
  (check: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return `${path} must be an array`;
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

/**
 * An object with every field of `T` present and of its shape (extra fields are allowed: a
 * newer writer may add some). The mapped type makes the compiler demand one check per field.
 */
export const record =
  <T extends object>(fields: { [K in keyof T]-?: Check }): Check =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${path} must be an object`;
    const fieldChecks: [string, Check][] = Object.entries(fields);
    for (const [name, check] of fieldChecks) {
      const problem = check((value as Record<string, unknown>)[name], `${path}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  };
