export const MAX_STREAM_ID_LENGTH = 256;
export const MAX_EVENT_TYPE_LENGTH = 128;
/** Serialised data plus metadata of one event. */
export const MAX_EVENT_BYTES = 1024 * 1024;
export const MAX_EVENTS_PER_APPEND = 10_000;
export const MAX_JSON_DEPTH = 64;
/** Context-stream conditions one append may carry. */
export const MAX_CONDITIONS_PER_APPEND = 16;
