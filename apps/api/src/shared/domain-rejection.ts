import { errorReply, type CommandReply } from '@tally/commands';
import { describeDomainError, type DomainError } from '@tally/domain';

/** A domain refusal as the contract's error answer; extra fields (e.g. `available`) pass through. */
export function domainRejection(error: DomainError): CommandReply {
  const { code, ...fields } = error;
  return errorReply(code, describeDomainError(error), fields);
}
