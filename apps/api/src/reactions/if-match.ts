import { validationFailed } from '../http/api-error';

// A revision the client last saw, as an ETag ("3") or bare (3). Weak tags, lists and `*`
// name no single revision, so they are refused rather than guessed at.
const REVISION_TAG = /^(?:"(\d+)"|(\d+))$/;

/** The expected revision an `If-Match` header names; undefined when the header is absent. */
export function expectedRevisionFrom(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(', ') : header).trim();
  const match = REVISION_TAG.exec(value);
  const digits = match?.[1] ?? match?.[2];
  const revision = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(revision)) {
    throw validationFailed([
      {
        field: 'If-Match',
        reason: 'must be a stream revision: a non-negative integer up to 2^53-1, e.g. "3"',
      },
    ]);
  }
  return revision;
}
