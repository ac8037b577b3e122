import type { Migration } from '@tally/infra';
import { appendConditionsMigration } from './append-conditions.migration';

/*
 * Global positions are derived from the appending transaction's id:
 *   position = (top-level xid8 << 20) + index within the transaction.
 * A reader only returns positions below (pg_snapshot_xmin << 20): every transaction with
 * a smaller xid has finished, and every future transaction gets a larger xid, so the set
 * of events below that bound can no longer change. Readers therefore see the log in
 * position order without ever passing over an event whose transaction commits late.
 */
const schema = `
CREATE TABLE tally_streams (
  stream_id  text PRIMARY KEY,
  revision   bigint NOT NULL,
  position   bigint NOT NULL
);

CREATE TABLE tally_events (
  position    bigint PRIMARY KEY,
  event_id    uuid NOT NULL UNIQUE,
  stream_id   text NOT NULL,
  revision    bigint NOT NULL,
  type        text NOT NULL,
  data        jsonb NOT NULL,
  metadata    jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (stream_id, revision)
);

CREATE FUNCTION tally_visible_bound() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << 20
$fn$;

-- p_expected: >= 0 exact revision, -1 no_stream, -2 any, -3 stream_exists.
-- Returns ok = false with the actual revision (-1: no stream) on a mismatch.
CREATE FUNCTION tally_append(p_stream_id text, p_expected bigint, p_events jsonb)
RETURNS TABLE (o_ok boolean, o_revision bigint, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count   bigint := jsonb_array_length(p_events);
  v_base    bigint := (pg_current_xact_id()::text::bigint) << 20;
  v_first   bigint;
  v_last    bigint;
  v_new     bigint;
  v_actual  bigint;
BEGIN
  -- Several appends may share one transaction (group commit): continue its numbering.
  SELECT coalesce(max(e.position) + 1, v_base) INTO v_first
    FROM tally_events e WHERE e.position >= v_base AND e.position < v_base + 1048576;
  v_last := v_first + v_count - 1;
  IF v_last >= v_base + 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048576 events' USING ERRCODE = '54000';
  END IF;

  IF p_expected = -2 THEN
    INSERT INTO tally_streams AS s (stream_id, revision, position)
      VALUES (p_stream_id, v_count - 1, v_last)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count, position = v_last
      RETURNING s.revision INTO v_new;
  ELSIF p_expected = -1 THEN
    INSERT INTO tally_streams AS s (stream_id, revision, position)
      VALUES (p_stream_id, v_count - 1, v_last)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_new;
  ELSIF p_expected = -3 THEN
    UPDATE tally_streams s SET revision = s.revision + v_count, position = v_last
      WHERE s.stream_id = p_stream_id
      RETURNING s.revision INTO v_new;
  ELSE
    UPDATE tally_streams s SET revision = s.revision + v_count, position = v_last
      WHERE s.stream_id = p_stream_id AND s.revision = p_expected
      RETURNING s.revision INTO v_new;
  END IF;

  IF v_new IS NULL THEN
    SELECT s.revision INTO v_actual FROM tally_streams s WHERE s.stream_id = p_stream_id;
    RETURN QUERY SELECT false, coalesce(v_actual, -1), NULL::bigint;
    RETURN;
  END IF;

  INSERT INTO tally_events (position, event_id, stream_id, revision, type, data, metadata, recorded_at)
  SELECT v_first + e.ord - 1,
         (e.value->>'id')::uuid,
         p_stream_id,
         v_new - v_count + e.ord,
         e.value->>'type',
         e.value->'data',
         e.value->'metadata',
         clock_timestamp()
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);

  RETURN QUERY SELECT true, v_new, v_last;
END
$fn$;
`;

/*
 * Many appends in one transaction (cross-stream group commit): one round trip and one commit
 * for appends to different streams. Each append keeps its own expected-revision check and
 * gets its own result; a mismatch skips that append's events and fails nothing else. The
 * caller sends the appends sorted by stream id, so concurrent batches lock stream rows in
 * one order and cannot deadlock each other. p_events holds one JSON array of events per
 * append, in the order of p_streams. Positions continue the transaction's numbering.
 */
const appendMany = `
CREATE FUNCTION tally_append_many(p_streams text[], p_expected bigint[], p_events jsonb)
RETURNS TABLE (o_ok boolean, o_revision bigint, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_n        int := coalesce(cardinality(p_streams), 0);
  v_base     bigint := (pg_current_xact_id()::text::bigint) << 20;
  v_next     bigint;
  v_ok       boolean[] := '{}';
  v_rev      bigint[] := '{}';
  v_pos      bigint[] := '{}';
  v_cnt      bigint[] := '{}';
  v_stream   text;
  v_expected bigint;
  v_count    bigint;
  v_last     bigint;
  v_new      bigint;
  v_actual   bigint;
BEGIN
  IF v_n <> coalesce(cardinality(p_expected), 0) OR v_n <> jsonb_array_length(p_events) THEN
    RAISE EXCEPTION 'tally_append_many: % streams, % expected revisions, % event lists',
      v_n, cardinality(p_expected), jsonb_array_length(p_events) USING ERRCODE = '22023';
  END IF;
  SELECT coalesce(max(e.position) + 1, v_base) INTO v_next
    FROM tally_events e WHERE e.position >= v_base AND e.position < v_base + 1048576;

  FOR i IN 1 .. v_n LOOP
    v_stream := p_streams[i];
    v_expected := p_expected[i];
    v_count := jsonb_array_length(p_events -> (i - 1));
    v_last := v_next + v_count - 1;
    IF v_count < 1 THEN
      RAISE EXCEPTION 'tally_append_many: append % has no events', i USING ERRCODE = '22023';
    END IF;
    IF v_last >= v_base + 1048576 THEN
      RAISE EXCEPTION 'a transaction may append at most 1048576 events' USING ERRCODE = '54000';
    END IF;
    v_new := NULL;
    IF v_expected = -2 THEN
      INSERT INTO tally_streams AS s (stream_id, revision, position)
        VALUES (v_stream, v_count - 1, v_last)
        ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count, position = v_last
        RETURNING s.revision INTO v_new;
    ELSIF v_expected = -1 THEN
      INSERT INTO tally_streams AS s (stream_id, revision, position)
        VALUES (v_stream, v_count - 1, v_last)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING s.revision INTO v_new;
    ELSIF v_expected = -3 THEN
      UPDATE tally_streams s SET revision = s.revision + v_count, position = v_last
        WHERE s.stream_id = v_stream
        RETURNING s.revision INTO v_new;
    ELSE
      UPDATE tally_streams s SET revision = s.revision + v_count, position = v_last
        WHERE s.stream_id = v_stream AND s.revision = v_expected
        RETURNING s.revision INTO v_new;
    END IF;

    v_cnt := v_cnt || v_count;
    IF v_new IS NULL THEN
      SELECT s.revision INTO v_actual FROM tally_streams s WHERE s.stream_id = v_stream;
      v_ok := v_ok || false;
      v_rev := v_rev || coalesce(v_actual, -1);
      v_pos := v_pos || NULL::bigint;
    ELSE
      v_ok := v_ok || true;
      v_rev := v_rev || v_new;
      v_pos := v_pos || v_last;
      v_next := v_last + 1;
    END IF;
  END LOOP;

  INSERT INTO tally_events (position, event_id, stream_id, revision, type, data, metadata, recorded_at)
  SELECT a.last_pos - a.cnt + e.ord,
         (e.value->>'id')::uuid,
         a.stream_id,
         a.last_rev - a.cnt + e.ord,
         e.value->>'type',
         e.value->'data',
         e.value->'metadata',
         clock_timestamp()
    FROM unnest(p_streams, v_ok, v_rev, v_pos, v_cnt) WITH ORDINALITY
           AS a(stream_id, ok, last_rev, last_pos, cnt, idx)
   CROSS JOIN LATERAL jsonb_array_elements(p_events -> (a.idx::int - 1)) WITH ORDINALITY AS e(value, ord)
   WHERE a.ok;

  RETURN QUERY SELECT u.ok, u.rev, u.pos
    FROM unnest(v_ok, v_rev, v_pos) WITH ORDINALITY AS u(ok, rev, pos, idx)
   ORDER BY u.idx;
END
$fn$;
`;

export const eventStoreMigrations: readonly Migration[] = [
  { id: 'event-store/0001-schema', sql: schema },
  { id: 'event-store/0002-append-many', sql: appendMany },
  appendConditionsMigration,
];
