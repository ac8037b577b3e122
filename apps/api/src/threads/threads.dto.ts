import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, ValidateIf } from 'class-validator';
import { ID_PATTERN, ID_RULE, IsText } from '../shared/dto-rules';

export class ThreadParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'welcome' })
  @IsString()
  @Matches(ID_PATTERN, { message: `threadId must be ${ID_RULE}` })
  threadId!: string;
}

export class StartThreadRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Welcome to the forum' })
  @IsText(1, 200)
  title!: string;

  // Absent means "generate one"; an explicit null is a mistake, not a request for a UUID.
  @ApiPropertyOptional({ pattern: ID_PATTERN.source, description: 'a UUID when absent' })
  @ValidateIf((_request, value) => value !== undefined)
  @IsString()
  @Matches(ID_PATTERN, { message: `threadId must be ${ID_RULE}` })
  threadId?: string;
}

export class CreatePostRequest {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'user-7' })
  @IsString()
  @Matches(ID_PATTERN, { message: `authorId must be ${ID_RULE}` })
  authorId!: string;

  @ApiProperty({ minLength: 1, maxLength: 10_000, example: 'Hello, everyone.' })
  @IsText(1, 10_000)
  body!: string;
}
