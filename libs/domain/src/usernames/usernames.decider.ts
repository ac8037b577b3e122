import type { Decider, Decision, DomainErrorOf } from '../shared';
import { accept, assertNever, reject } from '../shared';
import type { UsernameCommand } from './usernames.commands';
import type { UsernameEvent } from './usernames.events';
import { normalizeUsername } from './usernames.streams';

export type UsernameState =
  { status: 'free' } | { status: 'claimed'; userId: string; username: string };

export type UsernameError = DomainErrorOf<'username_taken'>;

export const initialUsernameState: UsernameState = Object.freeze({ status: 'free' });

export function evolveUsername(_state: UsernameState, event: UsernameEvent): UsernameState {
  switch (event.type) {
    case 'UsernameClaimed':
      return { status: 'claimed', userId: event.data.userId, username: event.data.username };
    default:
      return assertNever(event.type);
  }
}

export function decideUsername(
  command: UsernameCommand,
  state: UsernameState,
): Decision<UsernameEvent, UsernameError> {
  switch (command.type) {
    case 'ClaimUsername': {
      const { userId, username, at } = command.data;
      if (state.status === 'claimed') return reject({ code: 'username_taken', username });
      const normalized = normalizeUsername(username);
      return accept({
        type: 'UsernameClaimed',
        data: { userId, username, normalized, claimedAt: at },
      });
    }
    default:
      return assertNever(command.type);
  }
}

export const usernameDecider: Decider<
  UsernameCommand,
  UsernameEvent,
  UsernameState,
  UsernameError
> = { decide: decideUsername, evolve: evolveUsername, initialState: initialUsernameState };
