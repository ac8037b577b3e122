export { inventoryProjection } from './inventory.projection';
export { inventoryTables } from './inventory.tables';
