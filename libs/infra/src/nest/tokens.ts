export const CONFIG = Symbol('TallyConfig');
export const LOGGER = Symbol('Logger');
export const DATABASE = Symbol('Database');
export const EVENT_STORE = Symbol('EventStore');
