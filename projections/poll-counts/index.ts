export { pollCountsProjection } from './poll-counts.projection';
export { pollCountsTables } from './poll-counts.tables';
