import type { Projection } from '@tally/projections';
import { inventoryProjection } from './inventory';
import { pollCountsProjection } from './poll-counts';
import { reactionCountsProjection } from './reaction-counts';
import { threadStatsProjection } from './thread-stats';
import { usersProjection } from './users';

/** Every projection the projector runs, and whose tables the migrations create. */
export const allProjections: readonly Projection[] = [
  pollCountsProjection,
  reactionCountsProjection,
  threadStatsProjection,
  inventoryProjection,
  usersProjection,
];
