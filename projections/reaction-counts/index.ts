export { reactionCountsProjection } from './reaction-counts.projection';
export { reactionCountsTables } from './reaction-counts.tables';
