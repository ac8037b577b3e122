import { ApiProperty } from '@nestjs/swagger';
import { USERNAME_PATTERN } from '@tally/domain';

export class UsernameParams {
  @ApiProperty({ type: String, pattern: USERNAME_PATTERN.source, example: 'alice' })
  username!: string;
}
