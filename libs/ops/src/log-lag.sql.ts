/** The head of the log as readers see it (nothing past the visibility bound). */
export const HEAD_CTE = `head AS (
  SELECT coalesce(max(position), 0) AS head FROM tally_events WHERE position < tally_visible_bound()
)`;

/** Events between a consumer's position (an SQL expression) and the head, on the position index. */
export const lagEventsSql = (position: string): string =>
  `(SELECT count(*) FROM tally_events e WHERE e.position > ${position} AND e.position <= head.head)`;
