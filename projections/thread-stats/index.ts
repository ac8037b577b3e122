export { threadStatsProjection } from './thread-stats.projection';
export { threadStatsTables } from './thread-stats.tables';
