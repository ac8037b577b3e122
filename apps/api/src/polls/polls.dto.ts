import { ApiProperty } from '@nestjs/swagger';
import { IdProperty, OptionalIdProperty, TEXT_FORMAT, TextProperty } from '../shared/dto-rules';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

export class PollParams {
  @IdProperty({ example: 'lunch-poll' })
  pollId!: string;
}

export class BallotParams extends PollParams {
  @IdProperty({ example: 'voter-7' })
  voterId!: string;
}

export class CreatePollRequest {
  @TextProperty(1, 200, { example: 'Lunch?' })
  title!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 200, format: TEXT_FORMAT },
    minItems: MIN_OPTIONS,
    maxItems: MAX_OPTIONS,
    uniqueItems: true,
    description: 'Option texts (1-200 characters each, no duplicates); ids o1..oN are assigned',
    example: ['Pizza', 'Sushi'],
  })
  options!: string[];

  @OptionalIdProperty({ description: 'A UUID is generated when absent', example: 'lunch-poll' })
  pollId?: string;
}

export class CastVoteRequest {
  @IdProperty({ example: 'voter-7' })
  voterId!: string;

  @TextProperty(1, 64, {
    example: 'o1',
    description: 'An optionId of the poll; any other text is option_not_found',
  })
  optionId!: string;
}
