import { checkedId, streamId } from '../shared';

/** The format the API accepts; checking it is the HTTP layer's job. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/** Usernames are ASCII, so lower-casing is the whole of case-insensitivity. */
export const normalizeUsername = (username: string): string => username.toLowerCase();

/** Every letter case of a name maps to this one stream; its first append uses `no_stream`. */
export const usernameStreamId = (username: string): string =>
  streamId('username', normalizeUsername(checkedId('username', username, USERNAME_PATTERN)));
