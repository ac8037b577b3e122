import { SetReactionHandler } from './set-reaction.handler';
import { ToggleReactionHandler } from './toggle-reaction.handler';

export const reactionsCommandHandlers = [SetReactionHandler, ToggleReactionHandler];
