import type { Kafka } from 'kafkajs';

export interface TopicWait {
  /** Checks this often (ms). Default 1000. */
  pollMs?: number;
  /** Called at most this often while waiting (ms). Default 10000. */
  reportEveryMs?: number;
  /** While waiting: for how long, and why the last check failed (the broker, or no topic). */
  onWaiting?: (waitedMs: number, reason: string) => void;
  /** Aborting ends the wait with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves once `topic` exists with a leader on every partition. The relay creates the topic;
 * a projector started first (or while the broker is still coming up) waits for it instead of
 * failing on its subscription.
 */
export async function waitForTopic(
  kafka: Kafka,
  topic: string,
  wait: TopicWait = {},
): Promise<void> {
  const started = Date.now();
  let reportedAt = started;
  const admin = kafka.admin();
  try {
    for (;;) {
      wait.signal?.throwIfAborted();
      const reason = await missing(admin, topic);
      if (reason === undefined) return;
      if (Date.now() - reportedAt >= (wait.reportEveryMs ?? 10_000) || reportedAt === started) {
        reportedAt = Date.now();
        wait.onWaiting?.(reportedAt - started, reason);
      }
      await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 1000));
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Why the topic cannot be consumed yet, or undefined when it can. */
async function missing(
  admin: ReturnType<Kafka['admin']>,
  topic: string,
): Promise<string | undefined> {
  try {
    await admin.connect();
    // Listing does not create topics, whatever the broker's auto-creation setting.
    if (!(await admin.listTopics()).includes(topic)) return `topic ${topic} does not exist yet`;
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions ?? [];
    if (partitions.length === 0 || partitions.some((p) => p.leader < 0))
      return `topic ${topic} has partitions without a leader`;
    return undefined;
  } catch (error) {
    return `broker unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
}
