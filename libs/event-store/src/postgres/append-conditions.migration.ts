import type { Migration } from '@tally/infra';

/*
 * Append conditions on context streams: an append may also require that streams its
 * decision read (a vote: the poll) are still at given revisions; the store checks them in
 * the append's transaction and refuses that append alone if one moved.
 *
 * A check alone is not enough, because log order is xid order (position = xid << 20 + index)
 * and a transaction may get its xid long before it commits. A close could take its xid,
 * a vote take a larger one and still see the poll open (close not committed), both commit,
 * and the acknowledged vote follows PollClosed in the log. A FOR SHARE row lock does not
 * help when the close took its xid before it waited (and it would give the hot poll row
 * xids and multixacts of its own). So every appending transaction first takes advisory
 * locks, before anything gives it an xid: exclusive on each stream it appends to, shared on
 * each condition's stream (exclusive when both), keyed by hashtextextended(stream_id, 0)
 * (a collision only costs waiting), all in ascending key order (transactions cannot
 * deadlock). Only then does it check the conditions (READ COMMITTED: that statement sees
 * every commit the locks waited for), take its xid and write. Hence:
 * - a vote holding its shared lock takes its xid under it; the close gets its exclusive lock
 *   only after every such vote committed, so it takes a larger xid and a later position;
 * - a vote asking after the close holds or awaits its lock queues behind it (PostgreSQL
 *   grants no lock that conflicts with a waiter's), then sees the moved revision: refused;
 * - shared locks never block each other: a hot context stays hot-safe.
 * A caller-held transaction that writes before appending (an idempotency claim gives it an
 * xid) must call tally_lock_streams with the same streams first; taking them again here is
 * then free. Conditions must be read in READ COMMITTED (a newer snapshot than the lock).
 */
const lockStreams = `
CREATE FUNCTION tally_lock_streams(p_exclusive text[], p_shared text[])
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_key       bigint;
  v_exclusive boolean;
BEGIN
  FOR v_key, v_exclusive IN
    SELECT l.key, bool_or(l.exclusive)
      FROM (SELECT hashtextextended(s, 0), true FROM unnest(p_exclusive) s
            UNION ALL
            SELECT hashtextextended(s, 0), false FROM unnest(p_shared) s) AS l(key, exclusive)
     GROUP BY l.key
     ORDER BY l.key
  LOOP
    IF v_exclusive THEN
      PERFORM pg_advisory_xact_lock(v_key);
    ELSE
      PERFORM pg_advisory_xact_lock_shared(v_key);
    END IF;
  END LOOP;
END
$fn$;
`;

// One append: as before, plus locks first, then its conditions, then the xid.
const appendOne = `
DROP FUNCTION tally_append(text, bigint, jsonb);
CREATE FUNCTION tally_append(p_stream_id text, p_expected bigint, p_events jsonb,
                             p_cond_streams text[] DEFAULT NULL,
                             p_cond_revisions bigint[] DEFAULT NULL)
RETURNS TABLE (o_ok boolean, o_revision bigint, o_position bigint,
               o_cond_stream text, o_cond_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count   bigint := jsonb_array_length(p_events);
  v_base    bigint;
  v_first   bigint;
  v_last    bigint;
  v_new     bigint;
  v_actual  bigint;
  v_cstream text;
BEGIN
  PERFORM tally_lock_streams(ARRAY[p_stream_id], p_cond_streams);
  IF coalesce(cardinality(p_cond_streams), 0) > 0 THEN
    -- One primary-key lookup per condition: a join would be planned once per session,
    -- possibly as a scan of tally_streams while it was small, and kept as it grows.
    FOR i IN 1 .. cardinality(p_cond_streams) LOOP
      SELECT s.revision INTO v_actual FROM tally_streams s WHERE s.stream_id = p_cond_streams[i];
      v_actual := coalesce(v_actual, -1);
      IF v_actual <> p_cond_revisions[i] THEN
        v_cstream := p_cond_streams[i];
        EXIT;
      END IF;
    END LOOP;
    IF v_cstream IS NOT NULL THEN
      RETURN QUERY SELECT false, NULL::bigint, NULL::bigint, v_cstream, v_actual;
      RETURN;
    END IF;
  END IF;

  v_base := (pg_current_xact_id()::text::bigint) << 20;
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
    RETURN QUERY SELECT false, coalesce(v_actual, -1), NULL::bigint, NULL::text, NULL::bigint;
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

  RETURN QUERY SELECT true, v_new, v_last, NULL::text, NULL::bigint;
END
$fn$;
`;

/*
 * Many appends (group commit): as before, plus the locks of all of them first, and per
 * append its conditions (p_cond_counts[i] of the flat condition arrays, in append order).
 * The context streams' revisions are read once, after the locks (which keep them still),
 * into v_ctx, which follows the batch's own appends to them (a close earlier in the batch).
 */
const appendMany = `
DROP FUNCTION tally_append_many(text[], bigint[], jsonb);
CREATE FUNCTION tally_append_many(p_streams text[], p_expected bigint[], p_events jsonb,
                                  p_cond_counts int[] DEFAULT NULL,
                                  p_cond_streams text[] DEFAULT NULL,
                                  p_cond_revisions bigint[] DEFAULT NULL)
RETURNS TABLE (o_ok boolean, o_revision bigint, o_position bigint,
               o_cond_stream text, o_cond_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_n        int := coalesce(cardinality(p_streams), 0);
  v_base     bigint;
  v_next     bigint;
  v_ok       boolean[] := '{}';
  v_rev      bigint[] := '{}';
  v_pos      bigint[] := '{}';
  v_cnt      bigint[] := '{}';
  v_cs       text[] := '{}';
  v_cr       bigint[] := '{}';
  v_c        int := 0;
  v_conds    int;
  v_cstream  text;
  v_ctx      jsonb := '{}';
  v_stream   text;
  v_expected bigint;
  v_count    bigint;
  v_last     bigint;
  v_new      bigint;
  v_actual   bigint;
BEGIN
  IF v_n <> coalesce(cardinality(p_expected), 0) OR v_n <> jsonb_array_length(p_events)
     OR (p_cond_counts IS NOT NULL AND v_n <> cardinality(p_cond_counts))
     OR coalesce(cardinality(p_cond_streams), 0) <> coalesce(cardinality(p_cond_revisions), 0) THEN
    RAISE EXCEPTION 'tally_append_many: % streams, % expected revisions, % event lists, % condition counts',
      v_n, cardinality(p_expected), jsonb_array_length(p_events), cardinality(p_cond_counts)
      USING ERRCODE = '22023';
  END IF;
  PERFORM tally_lock_streams(p_streams, p_cond_streams);
  IF coalesce(cardinality(p_cond_streams), 0) > 0 THEN
    -- Primary-key lookups, one per distinct context (see tally_append).
    FOR v_cstream IN SELECT DISTINCT unnest(p_cond_streams) LOOP
      SELECT s.revision INTO v_actual FROM tally_streams s WHERE s.stream_id = v_cstream;
      v_ctx := v_ctx || jsonb_build_object(v_cstream, coalesce(v_actual, -1));
    END LOOP;
  END IF;
  v_base := (pg_current_xact_id()::text::bigint) << 20;
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
    v_cstream := NULL;
    v_conds := coalesce(p_cond_counts[i], 0);
    FOR j IN v_c + 1 .. v_c + v_conds LOOP
      v_actual := (v_ctx ->> p_cond_streams[j])::bigint;
      IF v_actual <> p_cond_revisions[j] THEN
        v_cstream := p_cond_streams[j];
        EXIT;
      END IF;
    END LOOP;
    v_c := v_c + v_conds;
    IF v_cstream IS NOT NULL THEN
      NULL;
    ELSIF v_expected = -2 THEN
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
    IF v_cstream IS NOT NULL THEN
      v_ok := v_ok || false;
      v_rev := v_rev || NULL::bigint;
      v_pos := v_pos || NULL::bigint;
      v_cs := v_cs || v_cstream;
      v_cr := v_cr || v_actual;
    ELSIF v_new IS NULL THEN
      SELECT s.revision INTO v_actual FROM tally_streams s WHERE s.stream_id = v_stream;
      v_ok := v_ok || false;
      v_rev := v_rev || coalesce(v_actual, -1);
      v_pos := v_pos || NULL::bigint;
      v_cs := v_cs || NULL::text;
      v_cr := v_cr || NULL::bigint;
    ELSE
      v_ok := v_ok || true;
      v_rev := v_rev || v_new;
      v_pos := v_pos || v_last;
      v_cs := v_cs || NULL::text;
      v_cr := v_cr || NULL::bigint;
      v_next := v_last + 1;
      IF v_ctx ? v_stream THEN
        v_ctx := jsonb_set(v_ctx, ARRAY[v_stream], to_jsonb(v_new));
      END IF;
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

  RETURN QUERY SELECT u.ok, u.rev, u.pos, u.cs, u.cr
    FROM unnest(v_ok, v_rev, v_pos, v_cs, v_cr) WITH ORDINALITY AS u(ok, rev, pos, cs, cr, idx)
   ORDER BY u.idx;
END
$fn$;
`;

export const appendConditionsMigration: Migration = {
  id: 'event-store/0003-append-conditions',
  sql: lockStreams + appendOne + appendMany,
};
