import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty, RevisionProperty } from '../shared/dto-rules';
import type { ThreadView } from './threads.queries';

export class StartThreadResponse {
  @ApiProperty({ type: String })
  threadId!: string;

  @ApiProperty({ type: String })
  title!: string;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class CreatePostResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  postId!: string;

  @ApiProperty({ type: String })
  threadId!: string;

  @PositionProperty()
  position!: string;
}

export class ThreadResponse implements ThreadView {
  @ApiProperty({ type: String })
  threadId!: string;

  @ApiProperty({ type: String })
  title!: string;

  @ApiProperty({ type: 'integer' })
  postCount!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'ISO-8601; never moves back; null before the first post',
  })
  lastActivityAt!: string | null;

  @PositionProperty({ description: 'the projection checkpoint this was read at' })
  position!: string;
}
