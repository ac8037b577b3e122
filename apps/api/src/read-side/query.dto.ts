import { ApiProperty } from '@nestjs/swagger';
import { USERNAME_PATTERN } from '@tally/domain';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../shared/dto-rules';

export class PostParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'post-42' })
  @IsString()
  @Matches(ID_PATTERN, { message: `postId must be ${ID_RULE}` })
  postId!: string;
}

export class UsernameParams {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, example: 'alice' })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-32 characters of letters, digits and _ . -',
  })
  username!: string;
}
