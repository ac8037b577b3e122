import { ApiProperty } from '@nestjs/swagger';
import { REACTION_TYPE_PATTERN } from '@tally/domain';
import { IdProperty } from '../shared/dto-rules';

export class ReactionParams {
  @IdProperty({ example: 'post-42' })
  postId!: string;

  @ApiProperty({ type: String, pattern: REACTION_TYPE_PATTERN.source, example: 'like' })
  type!: string;

  @IdProperty({ example: 'user-7' })
  userId!: string;
}

export class SetReactionRequest {
  @ApiProperty({ type: Boolean, example: true, description: 'A JSON boolean; "true" is refused' })
  active!: boolean;
}
