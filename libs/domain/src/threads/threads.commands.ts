import type { DomainCommand, Timestamp } from '../shared';

export type StartThread = DomainCommand<
  'StartThread',
  { threadId: string; title: string; at: Timestamp }
>;

export type ThreadCommand = StartThread;

/** `postId` comes in with the command: the domain generates no ids. */
export type CreatePost = DomainCommand<
  'CreatePost',
  { postId: string; threadId: string; authorId: string; body: string; at: Timestamp }
>;

export type PostCommand = CreatePost;
