import type { AcceptedOutcome, CommandOutcome } from '@tally/commands';
import { assertNever, describeDomainError, type DomainError } from '@tally/domain';
import { errorReply, type HttpReply } from './error-codes';

/** A domain refusal as the contract's error answer; extra fields (e.g. `available`) pass through. */
export function domainRejection(error: DomainError): HttpReply {
  const { code, ...fields } = error;
  return errorReply(code, describeDomainError(error), fields);
}

/**
 * A command's outcome as its HTTP answer: `accepted` is the endpoint's own body, every
 * other outcome the contract's error.
 */
export function renderOutcome<S, Err extends DomainError>(
  outcome: CommandOutcome<S, Err>,
  accepted: (outcome: AcceptedOutcome<S>) => HttpReply,
): HttpReply {
  switch (outcome.kind) {
    case 'accepted':
      return accepted(outcome);
    case 'rejected':
      return domainRejection(outcome.error);
    case 'revision_mismatch':
      return errorReply(
        'revision_mismatch',
        `expected revision ${outcome.expectedRevision}, current is ${outcome.currentRevision}`,
        { currentRevision: outcome.currentRevision },
      );
    case 'conflict':
      return errorReply(
        'concurrency_conflict',
        'contention outlasted the retries; retry with the same Idempotency-Key',
      );
    case 'idempotency_key_reused':
      return errorReply(
        'idempotency_key_reused',
        'this Idempotency-Key was used with a different request',
      );
    default:
      return assertNever(outcome);
  }
}
