import { ApiProperty } from '@nestjs/swagger';
import { USERNAME_PATTERN } from '@tally/domain';
import { IsString, Matches } from 'class-validator';

export class UsernameParams {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, example: 'alice' })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-32 characters of letters, digits and _ . -',
  })
  username!: string;
}
