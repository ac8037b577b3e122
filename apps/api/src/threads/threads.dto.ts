import { IdProperty, OptionalIdProperty, TextProperty } from '../shared/dto-rules';

export class ThreadParams {
  @IdProperty({ example: 'welcome' })
  threadId!: string;
}

export class StartThreadRequest {
  @TextProperty(1, 200, { example: 'Welcome to the forum' })
  title!: string;

  @OptionalIdProperty({ description: 'a UUID when absent' })
  threadId?: string;
}

export class CreatePostRequest {
  @IdProperty({ example: 'user-7' })
  authorId!: string;

  @TextProperty(1, 10_000, { example: 'Hello, everyone.' })
  body!: string;
}
