import { ApiProperty } from '@nestjs/swagger';
import { USERNAME_PATTERN } from '@tally/domain';

export class RegisterUserRequest {
  @ApiProperty({
    type: String,
    pattern: USERNAME_PATTERN.source,
    minLength: 3,
    maxLength: 32,
    example: 'alice',
  })
  username!: string;
}
