import { ApiProperty } from '@nestjs/swagger';
import type { PartitionLag, ProjectionStatus, RebuildState, RelayLag } from '@tally/ops';
import type { ParkedEvent } from '@tally/projections';
import { PositionProperty } from '../shared/dto-rules';
import type { OpsStatus } from './ops-status';

const nullableText = { type: String, nullable: true } as const;

export class RebuildStateBody implements RebuildState {
  @ApiProperty({ type: String, format: 'uuid' })
  rebuildId!: string;

  @ApiProperty({ type: String, enum: ['running', 'completed', 'failed'] })
  status!: 'running' | 'completed' | 'failed';

  @PositionProperty()
  position!: string;

  @ApiProperty({ type: 'integer' })
  processed!: number;

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ ...nullableText, format: 'date-time' })
  finishedAt!: string | null;

  @ApiProperty(nullableText)
  error!: string | null;
}

export class ProjectionStatusBody implements ProjectionStatus {
  @ApiProperty({ type: String })
  name!: string;

  @PositionProperty({ description: 'the checkpoint' })
  position!: string;

  @PositionProperty({ description: "the log's last position" })
  headPosition!: string;

  @ApiProperty({ type: 'integer', description: "events of the projection's types not folded yet" })
  lagEvents!: number;

  @ApiProperty({ type: 'number', description: 'age of the oldest of them (s)' })
  lagSeconds!: number;

  @ApiProperty({
    type: String,
    enum: ['live', 'catching_up', 'stalled', 'rebuilding'],
    description:
      'live: lagSeconds ≤ 2 and lagEvents ≤ 10,000; beyond, catching_up, or stalled when its checkpoint has not moved for 30 s',
  })
  status!: ProjectionStatus['status'];

  @ApiProperty({
    type: 'number',
    description: 'events of its types taken per second, averaged over about the last minute',
  })
  eventsPerSecond!: number;

  @ApiProperty({ type: 'integer', description: 'events parked now' })
  parkedEvents!: number;

  @ApiProperty({ type: 'integer', description: 'events ever parked' })
  parkedEventsTotal!: number;

  @ApiProperty({ type: RebuildStateBody, nullable: true })
  rebuild!: RebuildStateBody | null;
}

export class RebuildStartedResponse {
  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: String, format: 'uuid' })
  rebuildId!: string;
}

export class ParkedEventBody implements ParkedEvent {
  @ApiProperty({ type: String })
  projection!: string;

  @PositionProperty()
  position!: string;

  @ApiProperty({ type: String })
  streamId!: string;

  @ApiProperty({ type: 'integer' })
  revision!: number;

  @ApiProperty({ type: String })
  type!: string;

  @ApiProperty({ type: String })
  error!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  firstSeen!: string;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  lastTried!: string;
}

export class ParkedListResponse {
  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: [ParkedEventBody], description: 'in log order' })
  parked!: ParkedEventBody[];
}

export class RetryParkedResponse {
  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: [String], description: 'positions folded and no longer parked' })
  folded!: string[];

  @ApiProperty({ type: [ParkedEventBody] })
  stillParked!: ParkedEventBody[];
}

export class DiscardParkedResponse {
  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: [String], description: 'positions removed without folding' })
  discarded!: string[];
}

export class RelayLagBody implements RelayLag {
  @ApiProperty({ type: String })
  name!: string;

  @PositionProperty()
  position!: string;

  @PositionProperty()
  headPosition!: string;

  @ApiProperty({ type: 'integer' })
  lagEvents!: number;
}

export class PartitionLagBody implements PartitionLag {
  @ApiProperty({ type: String })
  group!: string;

  @ApiProperty({ type: String })
  topic!: string;

  @ApiProperty({ type: 'integer' })
  partition!: number;

  @ApiProperty({ type: 'integer' })
  logEndOffset!: number;

  @ApiProperty({ type: 'integer' })
  storedOffset!: number;

  @ApiProperty({ type: 'integer' })
  lag!: number;
}

export class KafkaStatusBody {
  @ApiProperty({ type: Boolean })
  configured!: boolean;

  @ApiProperty({ type: Boolean, nullable: true })
  up!: boolean | null;

  @ApiProperty({ type: [PartitionLagBody], nullable: true })
  consumerGroups!: PartitionLagBody[] | null;

  @ApiProperty(nullableText)
  error!: string | null;
}

export class OpsStatusResponse implements OpsStatus {
  @ApiProperty({ type: String, format: 'date-time' })
  time!: string;

  @ApiProperty({ type: [ProjectionStatusBody] })
  projections!: ProjectionStatusBody[];

  @ApiProperty({ type: [RelayLagBody] })
  relays!: RelayLagBody[];

  @ApiProperty({ type: KafkaStatusBody })
  kafka!: KafkaStatusBody;
}

export class LiveResponse {
  @ApiProperty({ type: String, enum: ['ok'] })
  status!: 'ok';
}

export class ReadyResponse {
  @ApiProperty({ type: String, enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up'] },
    description: 'store, and broker when configured',
    example: { store: 'up' },
  })
  checks!: Record<string, 'up'>;
}
