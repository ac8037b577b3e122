import type { Migration } from '@tally/infra';

export const kafkaOffsetMigrations: readonly Migration[] = [
  {
    id: 'projections/0002-kafka-offsets',
    sql: `
-- Kafka mode: the next offset per partition, written in the same transaction as the tables.
CREATE TABLE tally_kafka_offsets (
  group_id    text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);
-- The last revision applied per stream: a duplicate on the topic (a relay resend) is skipped.
CREATE TABLE tally_kafka_stream_progress (
  group_id  text NOT NULL,
  stream_id text NOT NULL,
  revision  bigint NOT NULL,
  PRIMARY KEY (group_id, stream_id)
);`,
  },
  {
    id: 'projections/0004-kafka-watermarks',
    sql: `
-- The relay's latest watermark seen on each partition: every event up to it was on the topic
-- before it, so the minimum over all partitions is what the group has folded completely.
ALTER TABLE tally_kafka_offsets ADD COLUMN watermark bigint NOT NULL DEFAULT 0;`,
  },
  {
    id: 'projections/0005-kafka-owner',
    sql: `
-- The one consumer group whose stored offsets the read tables match: a second group would
-- fold every event into them again. One row; only tally kafka take-over moves it.
CREATE TABLE tally_kafka_owner (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  group_id   text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now()
);
-- A database that one group already consumed into belongs to it; with several, to none yet.
INSERT INTO tally_kafka_owner (group_id)
  SELECT min(group_id) FROM tally_kafka_offsets HAVING count(DISTINCT group_id) = 1;`,
  },
];
