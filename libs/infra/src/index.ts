export * from './config';
export * from './database/database';
export * from './database/embedded-postgres';
export * from './database/migration';
export * from './database/migrator';
