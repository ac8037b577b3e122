import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty } from '../shared/dto-rules';
import type { UserView } from './users.queries';

export class RegisterUserResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  userId!: string;

  @ApiProperty({ type: String })
  username!: string;

  @PositionProperty()
  position!: string;
}

export class UserResponse implements UserView {
  @ApiProperty({ type: String })
  userId!: string;

  @ApiProperty({ type: String })
  username!: string;

  @PositionProperty({ description: 'the projection checkpoint this was read at' })
  position!: string;
}
