import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty, RevisionProperty } from '../shared/dto-rules';
import type { PollView } from './polls.queries';

export class PollOption {
  @ApiProperty({ type: String, example: 'o1' })
  optionId!: string;

  @ApiProperty({ type: String, example: 'Pizza' })
  text!: string;
}

export class CreatePollResponse {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: String })
  title!: string;

  @ApiProperty({ type: [PollOption] })
  options!: PollOption[];

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class PollOptionCount extends PollOption {
  @ApiProperty({ type: 'integer' })
  votes!: number;
}

export class PollResponse implements PollView {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: String })
  title!: string;

  @ApiProperty({ type: Boolean })
  closed!: boolean;

  @ApiProperty({ type: [PollOptionCount] })
  options!: PollOptionCount[];

  @ApiProperty({ type: 'integer' })
  totalVotes!: number;

  @PositionProperty({ description: 'the projection checkpoint this was read at' })
  position!: string;
}

export class CastVoteResponse {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: String })
  voterId!: string;

  @ApiProperty({ type: String })
  optionId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the option held before; null for a first vote',
  })
  previousOptionId!: string | null;

  @ApiProperty({ type: Boolean, description: 'false when the option was already held' })
  changed!: boolean;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class RetractVoteResponse {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: String })
  voterId!: string;

  @ApiProperty({ type: Boolean, description: 'false when there was no vote to retract' })
  retracted!: boolean;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class ClosePollResponse {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: Boolean, enum: [true] })
  closed!: true;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

/** One `data:` line of GET /polls/{pollId}/live. */
export class PollChange {
  @ApiProperty({ type: String })
  pollId!: string;

  @ApiProperty({ type: String })
  optionId!: string;

  @ApiProperty({ type: 'integer' })
  votes!: number;

  @ApiProperty({ type: 'integer' })
  totalVotes!: number;

  @PositionProperty()
  position!: string;
}
