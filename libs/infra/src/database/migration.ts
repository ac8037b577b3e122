export interface Migration {
  /** Unique and ordered within its owner, e.g. `event-store/0001-schema`. */
  id: string;
  sql: string;
}
