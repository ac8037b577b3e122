import { ApiProperty } from '@nestjs/swagger';
import { USERNAME_PATTERN } from '@tally/domain';
import { IsString, Matches } from 'class-validator';

export class RegisterUserRequest {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, minLength: 3, maxLength: 32, example: 'alice' })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-32 characters of letters, digits and _ . -',
  })
  username!: string;
}
