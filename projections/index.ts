import type { Projection } from '@tally/projections';
import { pollCountsProjection } from './poll-counts';

/** Every projection the projector runs, and whose tables the migrations create. */
export const allProjections: readonly Projection[] = [pollCountsProjection];
