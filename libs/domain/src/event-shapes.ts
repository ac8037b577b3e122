import type { InventoryEvent } from './inventory';
import type { BallotEvent, PollEvent, PollOption } from './polls';
import type { ReactionEvent } from './reactions';
import {
  flag,
  integer,
  listOf,
  nonEmptyText,
  nullable,
  record,
  text,
  type Check,
} from './shared/shape';
import type { PostEvent, ThreadEvent } from './threads';
import type { UsernameEvent } from './usernames';

/** Every event the domain appends. */
export type AnyDomainEvent =
  | InventoryEvent
  | PollEvent
  | BallotEvent
  | ReactionEvent
  | ThreadEvent
  | PostEvent
  | UsernameEvent;

export type DomainEventType = AnyDomainEvent['type'];

type DataOf<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }>['data'];

const id = nonEmptyText;
const at = text;

/** One check per event type; `satisfies` makes a new event type without one a compile error. */
const shapes = {
  PollOpened: record<DataOf<'PollOpened'>>({
    pollId: id,
    title: text,
    options: listOf(record<PollOption>({ optionId: id, text })),
    openedAt: at,
  }),
  PollClosed: record<DataOf<'PollClosed'>>({ pollId: id, closedAt: at }),
  Voted: record<DataOf<'Voted'>>({
    pollId: id,
    voterId: id,
    optionId: id,
    previousOptionId: nullable(id),
    votedAt: at,
  }),
  VoteRetracted: record<DataOf<'VoteRetracted'>>({
    pollId: id,
    voterId: id,
    optionId: id,
    retractedAt: at,
  }),
  ReactionToggled: record<DataOf<'ReactionToggled'>>({
    postId: id,
    type: id,
    userId: id,
    active: flag,
    at,
  }),
  ThreadStarted: record<DataOf<'ThreadStarted'>>({ threadId: id, title: text, startedAt: at }),
  PostCreated: record<DataOf<'PostCreated'>>({
    postId: id,
    threadId: id,
    authorId: id,
    body: text,
    createdAt: at,
  }),
  ItemListed: record<DataOf<'ItemListed'>>({
    sku: id,
    name: text,
    stock: integer(0),
    listedAt: at,
  }),
  Purchased: record<DataOf<'Purchased'>>({
    purchaseId: id,
    sku: id,
    customerId: id,
    quantity: integer(1),
    remainingStock: integer(0),
    purchasedAt: at,
  }),
  Restocked: record<DataOf<'Restocked'>>({
    sku: id,
    quantity: integer(1),
    stock: integer(0),
    restockedAt: at,
  }),
  UsernameClaimed: record<DataOf<'UsernameClaimed'>>({
    userId: id,
    username: nonEmptyText,
    normalized: nonEmptyText,
    claimedAt: at,
  }),
} satisfies Record<DomainEventType, Check>;

const isDomainEventType = (type: string): type is DomainEventType =>
  Object.prototype.hasOwnProperty.call(shapes, type);

/**
 * Why an event is not a well-formed domain event, or undefined when it is: the one check
 * that appends (the command pipeline) and folds (the projectors, before folding) share.
 */
export function domainEventProblem(event: { type: string; data: unknown }): string | undefined {
  if (!isDomainEventType(event.type)) return `unknown event type ${JSON.stringify(event.type)}`;
  return shapes[event.type](event.data, 'data');
}
