import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../shared/dto-rules';

export class PostParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'post-42' })
  @IsString()
  @Matches(ID_PATTERN, { message: `postId must be ${ID_RULE}` })
  postId!: string;
}
