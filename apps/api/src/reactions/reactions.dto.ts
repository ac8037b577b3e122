import { ApiProperty } from '@nestjs/swagger';
import { REACTION_TYPE_PATTERN } from '@tally/domain';
import { IsBoolean, IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../shared/dto-rules';

export class ReactionParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'post-42' })
  @IsString()
  @Matches(ID_PATTERN, { message: `postId must be ${ID_RULE}` })
  postId!: string;

  @ApiProperty({ pattern: REACTION_TYPE_PATTERN.source, example: 'like' })
  @IsString()
  @Matches(REACTION_TYPE_PATTERN, {
    message: 'type must be a lowercase letter then up to 31 of a-z, 0-9 and _',
  })
  type!: string;

  @ApiProperty({ pattern: ID_PATTERN.source, example: 'user-7' })
  @IsString()
  @Matches(ID_PATTERN, { message: `userId must be ${ID_RULE}` })
  userId!: string;
}

export class SetReactionRequest {
  @ApiProperty({ type: Boolean, example: true, description: 'A JSON boolean; "true" is refused' })
  @IsBoolean()
  active!: boolean;
}
