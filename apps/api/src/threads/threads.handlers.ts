import { CreatePostHandler } from './create-post.handler';
import { StartThreadHandler } from './start-thread.handler';

export const threadsCommandHandlers = [StartThreadHandler, CreatePostHandler];
