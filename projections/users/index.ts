export { usersProjection } from './users.projection';
export { usersTables } from './users.tables';
