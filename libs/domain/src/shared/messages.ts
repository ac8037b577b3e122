export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/**
 * Event data must survive a JSON round trip unchanged (no Date, bigint or undefined), so
 * what a handler appends is exactly what a projector or a later fold reads back.
 */
export type DomainEvent<Type extends string, Data extends { [key: string]: JsonValue }> = {
  type: Type;
  data: Data;
};

export type DomainCommand<Type extends string, Data extends object> = {
  type: Type;
  data: Data;
};

/** ISO-8601 instant, supplied by the caller: the domain never reads the clock. */
export type Timestamp = string;
