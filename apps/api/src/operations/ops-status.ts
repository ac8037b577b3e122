import {
  readProjectionStatus,
  readRelayLag,
  type PartitionLag,
  type ProjectionRef,
  type ProjectionStatus,
  type RelayLag,
} from '@tally/ops';
import type { EventStore } from '@tally/event-store';
import type { Pool } from 'pg';
import type { BrokerProbe } from './broker-probe';

export interface OpsStatus {
  time: string;
  projections: ProjectionStatus[];
  relays: RelayLag[];
  kafka: {
    configured: boolean;
    up: boolean | null;
    consumerGroups: PartitionLag[] | null;
    error: string | null;
  };
}

/** Everything the ops page shows, in one read. */
export async function readOpsStatus(
  pool: Pool,
  store: EventStore,
  broker: BrokerProbe,
  watched: readonly ProjectionRef[],
): Promise<OpsStatus> {
  const [projections, relays] = await Promise.all([
    readProjectionStatus(pool, store, watched),
    readRelayLag(pool, store),
  ]);
  const kafka: OpsStatus['kafka'] = {
    configured: broker.configured,
    up: null,
    consumerGroups: null,
    error: null,
  };
  if (broker.configured) {
    try {
      kafka.consumerGroups = await broker.consumerGroupLag(pool);
      kafka.up = true;
    } catch (error) {
      kafka.up = false;
      kafka.error = error instanceof Error ? error.message : String(error);
    }
  }
  return { time: new Date().toISOString(), projections, relays, kafka };
}
