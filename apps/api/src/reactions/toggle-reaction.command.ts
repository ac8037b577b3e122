import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { ReactionKey } from './reactions.commands';

export class ToggleReactionCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: ReactionKey,
    readonly context: CommandContext,
    /** From `If-Match`: the revision the client last saw; a stale one is refused with 412. */
    readonly expectedRevision?: number,
  ) {
    super();
  }
}
