/** Ids allowed by the API contract; none of them can contain `|`. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const REACTION_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** The separator between the parts of a composite stream id; no valid part contains it. */
const STREAM_ID_SEPARATOR = '|';

/** An id that reaches a stream function unvalidated is a bug in the caller, so it throws. */
export function checkedId(name: string, value: string, pattern: RegExp = ID_PATTERN): string {
  if (!pattern.test(value)) {
    throw new RangeError(`${name} ${JSON.stringify(value)} does not match ${String(pattern)}`);
  }
  return value;
}

/**
 * `{category}-{part}|{part}…`. Because no part may contain `|`, splitting on it recovers
 * the parts: two different tuples can never share a stream.
 */
export function streamId(category: string, ...parts: [string, ...string[]]): string {
  for (const part of parts) {
    if (part.length === 0 || part.includes(STREAM_ID_SEPARATOR)) {
      throw new RangeError(`${category} stream: part ${JSON.stringify(part)} is not allowed`);
    }
  }
  return `${category}-${parts.join(STREAM_ID_SEPARATOR)}`;
}
