import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  Matches,
  ValidateIf,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, IsText } from '../shared/dto-rules';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

export class PollParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'lunch-poll' })
  @IsString()
  @Matches(ID_PATTERN, { message: `pollId must be ${ID_RULE}` })
  pollId!: string;
}

export class BallotParams extends PollParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'voter-7' })
  @IsString()
  @Matches(ID_PATTERN, { message: `voterId must be ${ID_RULE}` })
  voterId!: string;
}

export class CreatePollRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Lunch?' })
  @IsText(1, 200)
  title!: string;

  @ApiProperty({
    type: [String],
    minItems: MIN_OPTIONS,
    maxItems: MAX_OPTIONS,
    uniqueItems: true,
    description: 'Option texts (1-200 characters each, no duplicates); ids o1..oN are assigned',
    example: ['Pizza', 'Sushi'],
  })
  @IsArray()
  @ArrayMinSize(MIN_OPTIONS)
  @ArrayMaxSize(MAX_OPTIONS)
  @ArrayUnique({ message: 'options must not repeat a text' })
  @IsText(1, 200, { each: true })
  options!: string[];

  @ApiPropertyOptional({
    pattern: ID_PATTERN.source,
    description: 'A UUID is generated when absent',
    example: 'lunch-poll',
  })
  // Only an absent pollId is generated; `null` is a wrong value, not an absent one.
  @ValidateIf((_request, value) => value !== undefined)
  @IsString()
  @Matches(ID_PATTERN, { message: `pollId must be ${ID_RULE}` })
  pollId?: string;
}

export class CastVoteRequest {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'voter-7' })
  @IsString()
  @Matches(ID_PATTERN, { message: `voterId must be ${ID_RULE}` })
  voterId!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 64,
    example: 'o1',
    description: 'An optionId of the poll; any other text is option_not_found',
  })
  @IsText(1, 64)
  optionId!: string;
}
