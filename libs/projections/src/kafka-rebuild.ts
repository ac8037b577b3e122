import type { EventStore, FoldEvent } from '@tally/event-store';
import type { Pool } from 'pg';
import { readCheckpoints } from './checkpoints';
import { appliedRevisions, freezeOwner, readOwner } from './kafka-owner';
import type { SwapMode } from './shadow-rebuild';

/**
 * Kafka mode: the swapped tables must hold exactly what the owning group folded, so that its
 * stored offsets stay true and its consumers carry on from them — skipping what the shadow
 * folded, folding what it did not. The group folds each stream in revision order, so what it
 * folded is, per stream, every revision up to the one in tally_kafka_stream_progress; every
 * event up to the group's checkpoint (the lowest partition watermark) is among them.
 *
 * The shadow folds up to that checkpoint while the group runs. The swap then takes the owner
 * row exclusively (every batch holds it shared: the consumers stop between batches, their
 * progress frozen), folds the events past the shadow that the group has folded, and renames.
 * The checkpoint and the offsets are left as they are: they describe the new tables too.
 */
export function kafkaSwapMode(pool: Pool, store: EventStore): SwapMode {
  return {
    // No owner: no group folded anything (or several did, the tables are not theirs to keep).
    reachable: async (projection) =>
      (await readOwner(pool)) === undefined
        ? 0n
        : ((await readCheckpoints(pool, [projection.name])).get(projection.name) ?? 0n),
    freeze: async (client, shadow) => {
      const owner = await freezeOwner(client);
      const folded = async (events: readonly FoldEvent[]): Promise<readonly FoldEvent[]> => {
        if (owner === undefined || events.length === 0) return [];
        const streams = [...new Set(events.map((e) => e.streamId))];
        const applied = await appliedRevisions(client, owner, streams);
        return events.filter((e) => e.revision <= (applied.get(e.streamId) ?? -1));
      };
      await shadow.foldTo(await store.headPosition(), client, folded);
      return undefined;
    },
  };
}
