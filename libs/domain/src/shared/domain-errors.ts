import { assertNever } from './decision';

/** Every refusal the domain can give; `code` is the API error code, sent as is. */
export type DomainError =
  | { code: 'poll_exists'; pollId: string }
  | { code: 'poll_not_found'; pollId: string }
  | { code: 'option_not_found'; pollId: string; optionId: string }
  | { code: 'poll_closed'; pollId: string }
  | { code: 'thread_exists'; threadId: string }
  | { code: 'thread_not_found'; threadId: string }
  | { code: 'item_exists'; sku: string }
  | { code: 'item_not_found'; sku: string }
  | { code: 'out_of_stock'; sku: string; requested: number; available: number }
  | { code: 'username_taken'; username: string };

export type DomainErrorCode = DomainError['code'];

export type DomainErrorOf<Code extends DomainErrorCode> = Extract<DomainError, { code: Code }>;

export function describeDomainError(error: DomainError): string {
  switch (error.code) {
    case 'poll_exists':
      return `poll ${error.pollId} already exists`;
    case 'poll_not_found':
      return `poll ${error.pollId} not found`;
    case 'option_not_found':
      return `poll ${error.pollId} has no option ${error.optionId}`;
    case 'poll_closed':
      return `poll ${error.pollId} is closed`;
    case 'thread_exists':
      return `thread ${error.threadId} already exists`;
    case 'thread_not_found':
      return `thread ${error.threadId} not found`;
    case 'item_exists':
      return `item ${error.sku} already exists`;
    case 'item_not_found':
      return `item ${error.sku} not found`;
    case 'out_of_stock':
      return `item ${error.sku}: ${error.requested} requested, ${error.available} available`;
    case 'username_taken':
      return `username ${error.username} is taken`;
    default:
      return assertNever(error);
  }
}
