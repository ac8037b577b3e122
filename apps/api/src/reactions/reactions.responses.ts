import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty, RevisionProperty } from '../shared/dto-rules';
import type { PostReactionsView } from './reactions.queries';

export class ToggleReactionResponse {
  @ApiProperty({ type: String })
  postId!: string;

  @ApiProperty({ type: String })
  type!: string;

  @ApiProperty({ type: String })
  userId!: string;

  @ApiProperty({ type: Boolean })
  active!: boolean;

  @RevisionProperty({ description: 'the stream revision; send it back as If-Match: "<revision>"' })
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class SetReactionResponse extends ToggleReactionResponse {
  @ApiProperty({ type: Boolean, description: 'false when the reaction was already so' })
  changed!: boolean;
}

export class PostReactionsResponse implements PostReactionsView {
  @ApiProperty({ type: String })
  postId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'active reactions per type',
    example: { like: 3 },
  })
  counts!: Record<string, number>;

  @PositionProperty({ description: 'the projection checkpoint this was read at' })
  position!: string;
}
