"""A batch of changes applied set-based, and a protocol version the laptops ask for.

Revision ID: 0007
Revises: 0006

push_changes (0005) applies a batch one change at a time: each case checked, its row
written, its answers, checks and follow-ups deleted and written again by three statements
each (put_case_rows, whose statements are planned afresh for every case), its audit row
written. That was some 5 ms a case, most of a sync's time. What this adds:

- court_tui.sync_protocol(): 2. A laptop asks for it once a sync; a central store without
  it (an older revision) is spoken to with the old call, push_changes, exactly as before.
- court_tui.push_batch(device, changes): what push_changes does, with the same checks,
  outcomes, words and audit, for a whole batch. The changes that can only be applied
  (each the batch's only change to its case, not seen before, every check passed, on the
  revision the central store has, no conflict open) are written together: one statement
  for the applied-changes record, the cases new to the store, the cases moved on, each
  table of rows supervisors read, and the audit. Every other change (a replay, a
  refusal, a conflict, a change kept with a conflict, a case changed twice in the batch)
  goes, in its order, to push_changes itself, so those rules stay where they are. Both
  take the same feed locks up front in one order; this call takes every lock the batch
  needs before either writes.
- The laptop sends only what the central store reads: the case JSON and its status, not
  the rows beside it (0003 already ignored them).
- Rules push_changes keeps, now each with a set-based form it calls too, so that each
  stays in one place: put_cases_rows(ids, docs, replace), the rows supervisors read, for
  many cases at once (put_case_rows, 0003, calls it); receiving_teams_of(ids, docs), the
  teams a handover is newly sent to (receiving_teams, 0005, calls it); case_doc_problem,
  case_problem's checks (0003) on a record already read (case_problem reads it with
  json_doc, then calls it). case_row: a case's central columns from its record, as
  push_changes derives them (test_push_batch.py holds the two to the same rows).
- The handover trigger (0004) fires once a statement, over the cases it wrote, instead of
  once a row; its rule is unchanged.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

# As in 0003 and 0005.
LOCK_TIMEOUT = "5s"
MAX_OPS = 500
MAX_CASE_BYTES = 1_000_000
MAX_REVISION = 1_000_000_000
MAX_DEVICES = 10
MAX_ITEMS = 2_000
# What court_tui.sync_protocol() answers (court_tui.sync.transport reads it).
PROTOCOL = 2

HELPERS = f"""
CREATE FUNCTION court_tui.sync_protocol() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT {PROTOCOL} $$;

-- P read as JSON, or NULL when it is not readable (never an error, whatever it holds).
CREATE FUNCTION court_tui.json_doc(p text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN p::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- What is wrong with a case's record P_DOC as a change brings it (NULL when nothing is):
-- case_problem (0003) after reading the JSON, unchanged; case_problem now calls it.
CREATE FUNCTION court_tui.case_doc_problem(p_case text, p_rev bigint, p_doc jsonb)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_doc jsonb := p_doc;
    v_item jsonb;
    v_ids text[] := '{{}}';
BEGIN
    IF jsonb_typeof(v_doc) <> 'object' THEN
        RETURN 'The case is not a case record.';
    END IF;
    IF v_doc->>'id' IS DISTINCT FROM p_case THEN
        RETURN 'The case''s own id is not the id the change was sent for.';
    END IF;
    IF court_tui.json_int(v_doc->'revision', 0, {MAX_REVISION}) IS DISTINCT FROM p_rev THEN
        RETURN 'The case''s own revision is not the revision the change was sent for.';
    END IF;
    IF jsonb_typeof(v_doc->'team') IS DISTINCT FROM 'string'
            OR btrim(v_doc->>'team') = '' THEN
        RETURN 'The case has no team.';
    END IF;
    IF jsonb_typeof(coalesce(v_doc->'answers', '{{}}')) <> 'object'
            OR jsonb_typeof(coalesce(v_doc->'checks', '{{}}')) <> 'object'
            OR jsonb_typeof(coalesce(v_doc->'follow_ups', '[]')) <> 'array' THEN
        RETURN 'The case''s answers, checks or follow-ups are not in the shape a case has.';
    END IF;
    IF (SELECT count(*) FROM jsonb_object_keys(coalesce(v_doc->'answers', '{{}}'))) > {MAX_ITEMS}
            OR jsonb_array_length(coalesce(v_doc->'follow_ups', '[]')) > {MAX_ITEMS} THEN
        RETURN format('The case has more than %s answers or follow-ups.', {MAX_ITEMS});
    END IF;
    FOR v_item IN SELECT value FROM jsonb_each(coalesce(v_doc->'checks', '{{}}')) LOOP
        IF jsonb_typeof(v_item) <> 'object' THEN
            RETURN 'A check on the case is not in the shape a check has.';
        END IF;
    END LOOP;
    FOR v_item IN SELECT value FROM jsonb_array_elements(coalesce(v_doc->'follow_ups', '[]'))
    LOOP
        IF jsonb_typeof(v_item) <> 'object'
                OR jsonb_typeof(v_item->'id') IS DISTINCT FROM 'string'
                OR jsonb_typeof(v_item->'question') IS DISTINCT FROM 'string'
                OR length(v_item->>'id') NOT BETWEEN 1 AND 200 THEN
            RETURN 'A follow-up on the case has no id or question.';
        END IF;
        IF (v_item->>'id') = ANY (v_ids) THEN
            RETURN format('Two follow-ups on the case share the id %s.', v_item->>'id');
        END IF;
        v_ids := v_ids || (v_item->>'id');
    END LOOP;
    BEGIN
        PERFORM (v_doc->>'created_at')::timestamptz, (v_doc->>'updated_at')::timestamptz;
        PERFORM r.* FROM jsonb_populate_recordset(NULL::court_tui.follow_ups,
            coalesce(v_doc->'follow_ups', '[]')) r;
        PERFORM r.* FROM jsonb_each(coalesce(v_doc->'checks', '{{}}')) e,
            jsonb_populate_record(NULL::court_tui.checks, e.value) r;
    EXCEPTION WHEN others THEN
        RETURN 'A date or time on the case cannot be read.';
    END;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION court_tui.case_problem(p_case text, p_rev bigint, p_json text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_doc jsonb;
BEGIN
    IF octet_length(p_json) > {MAX_CASE_BYTES} THEN
        RETURN format('The case is too large for the central store (%s bytes; at most %s).',
            octet_length(p_json), {MAX_CASE_BYTES});
    END IF;
    v_doc := court_tui.json_doc(p_json);
    IF v_doc IS NULL THEN
        RETURN 'The case is not readable JSON.';
    END IF;
    RETURN court_tui.case_doc_problem(p_case, p_rev, v_doc);
END
$$;

-- The rows supervisors read (answers, checks, follow-ups) of the cases P_IDS, from their
-- records P_DOCS (the same order), in place of those they had: P_REPLACE names those of
-- them that may have rows already (a case new to the store has none to take out).
CREATE FUNCTION court_tui.put_cases_rows(p_ids text[], p_docs jsonb[], p_replace text[])
RETURNS void
LANGUAGE sql AS $$
    -- Joined, not "= ANY": one index probe a case, however stale the table's statistics.
    DELETE FROM court_tui.answers a USING unnest(p_replace) AS d(id) WHERE a.case_id = d.id;
    DELETE FROM court_tui.checks k USING unnest(p_replace) AS d(id) WHERE k.case_id = d.id;
    DELETE FROM court_tui.follow_ups f USING unnest(p_replace) AS d(id) WHERE f.case_id = d.id;
    INSERT INTO court_tui.answers (case_id, question, value, not_known)
        SELECT d.id, e.key, e.value::text,
            jsonb_typeof(e.value) = 'object' AND e.value->'not_known' = 'true'::jsonb
        FROM unnest(p_ids, p_docs) AS d(id, doc),
            jsonb_each(coalesce(d.doc->'answers', '{{}}')) e
        WHERE jsonb_typeof(e.value) <> 'null';
    INSERT INTO court_tui.checks
        (case_id, kind, requested, not_requested_reason, agency, requested_on, reference,
         expected_by, received_on, result, how_checked, summary, reported_to_court, status)
        SELECT d.id, e.key, r.requested, r.not_requested_reason, r.agency, r.requested_on,
            r.reference, r.expected_by, r.received_on, r.result, r.how_checked, r.summary,
            r.reported_to_court,
            CASE WHEN r.requested = 'no' THEN 'Not requested'
                 WHEN r.requested IS DISTINCT FROM 'yes' THEN 'Not recorded'
                 WHEN r.received_on IS NULL THEN 'Outstanding'
                 ELSE 'Received' END
        FROM unnest(p_ids, p_docs) AS d(id, doc),
            jsonb_each(coalesce(d.doc->'checks', '{{}}')) e,
            jsonb_populate_record(NULL::court_tui.checks, e.value) r;
    INSERT INTO court_tui.follow_ups
        (id, case_id, question, owner, action, due, recorded_on, recorded_by, closed_on,
         closed_by, answer, reviewed_by, review_note)
        SELECT e.f->>'id', d.id, e.f->>'question', coalesce(e.f->>'owner', ''),
            coalesce(e.f->>'action', ''), (e.f->>'due')::date,
            coalesce((e.f->>'recorded_on')::date, current_date),
            coalesce(e.f->>'recorded_by', ''), (e.f->>'closed_on')::date, e.f->>'closed_by',
            CASE WHEN jsonb_typeof(e.f->'answer') IN ('null') OR e.f->'answer' IS NULL
                 THEN NULL ELSE (e.f->'answer')::text END,
            e.f->>'reviewed_by', e.f->>'review_note'
        FROM unnest(p_ids, p_docs) AS d(id, doc),
            jsonb_array_elements(coalesce(d.doc->'follow_ups', '[]')) AS e(f);
$$;

CREATE OR REPLACE FUNCTION court_tui.put_case_rows(p_case text, p_doc jsonb) RETURNS void
LANGUAGE sql AS $$
    SELECT court_tui.put_cases_rows(ARRAY[p_case], ARRAY[p_doc], ARRAY[p_case]);
$$;

-- The teams a handover in the cases P_IDS, as their records P_DOCS say, is newly sent to:
-- the office team named, and the teams of the officer named (their team mates read the
-- case too). Sent to the same recipient before: its readers already see the case, and
-- feed_safe_point (0006) waits for the case's own team's writer.
CREATE FUNCTION court_tui.receiving_teams_of(p_ids text[], p_docs jsonb[]) RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = court_tui, pg_temp AS $$
    SELECT DISTINCT t.team
    FROM (
        SELECT d.id,
            left(nullif(btrim(d.doc->'handover'->>'sent_to'), ''), 200) AS sent_to,
            left(nullif(btrim(d.doc->'handover'->>'sent_to_team'), ''), 200) AS sent_to_team
        FROM unnest(p_ids, p_docs) AS d(id, doc)
        WHERE jsonb_typeof(d.doc->'handover') = 'object'
    ) h
    JOIN court_tui.staff_teams t ON t.team = h.sent_to_team OR t.login_name = h.sent_to
    WHERE NOT EXISTS (
        SELECT FROM court_tui.handovers x WHERE x.case_id = h.id
           AND x.sent_to IS NOT DISTINCT FROM h.sent_to
           AND x.sent_to_team IS NOT DISTINCT FROM h.sent_to_team)
$$;

CREATE OR REPLACE FUNCTION court_tui.receiving_teams(p_ops jsonb) RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = court_tui, pg_temp AS $$
    SELECT court_tui.receiving_teams_of(
        ARRAY(SELECT o.value->>'case_id' FROM jsonb_array_elements(p_ops) o),
        ARRAY(SELECT CASE WHEN jsonb_typeof(o.value->'case_json') = 'string'
                              AND octet_length(o.value->>'case_json') <= {MAX_CASE_BYTES}
                         THEN court_tui.json_doc(o.value->>'case_json') END
              FROM jsonb_array_elements(p_ops) o))
$$;

-- One change of a batch as push_batch reads it. DOC: the case's record, once every check
-- on the change has passed; FOUND: the central store has the case.
CREATE TYPE court_tui.push_op AS (
    ord integer, seq bigint, case_id text, base_revision integer, revision integer,
    kind text, case_json text, status text, doc jsonb, found boolean
);
"""

PUSH_BATCH = f"""
CREATE FUNCTION court_tui.push_batch(p_device text, p_ops jsonb)
RETURNS TABLE (
    seq bigint, outcome text, duplicate boolean, revision integer, detail text,
    theirs_revision integer, theirs_json text
)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = court_tui, pg_temp SET lock_timeout = '{LOCK_TIMEOUT}' AS $$
#variable_conflict use_column
DECLARE
    v_user text := session_user;
    v_teams text[];
    v_owner text;
    v_ops court_tui.push_op[];
    v_fast court_tui.push_op[];
    v_rest jsonb;
    v_rest_ords integer[];
    v_team_name text;
    v_written integer;
    v_count integer;
BEGIN
    -- a revoked device is refused
    PERFORM court_tui.refuse_revoked_device(p_device);
    IF NOT pg_has_role(v_user, 'court_tui_officer', 'MEMBER') THEN
        RAISE EXCEPTION 'only officers send changes to the central store'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF jsonb_typeof(p_ops) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'the changes are not a list' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT d.login_name INTO v_owner FROM court_tui.devices d WHERE d.device_id = p_device;
    IF v_owner IS NULL AND length(p_device) BETWEEN 1 AND 100
            AND (SELECT count(*) FROM court_tui.devices d
                 WHERE d.login_name = v_user) < {MAX_DEVICES} THEN
        -- A laptop's first contact, which push_changes would take: it is this login's.
        INSERT INTO court_tui.devices (device_id, login_name) VALUES (p_device, v_user)
            ON CONFLICT DO NOTHING;
        SELECT d.login_name INTO v_owner FROM court_tui.devices d
            WHERE d.device_id = p_device;
    END IF;
    -- A laptop not this login's, or that cannot be taken on, or a call too large: refused
    -- by push_changes, in its words, audited there.
    IF v_owner IS DISTINCT FROM v_user OR jsonb_array_length(p_ops) > {MAX_OPS} THEN
        RETURN QUERY SELECT * FROM court_tui.push_changes(p_device, p_ops);
        RETURN;
    END IF;
    UPDATE court_tui.devices d SET last_contact = now(), last_push = now()
        WHERE d.device_id = p_device;
    SELECT coalesce(array_agg(t.team ORDER BY t.team), '{{}}') INTO v_teams
        FROM court_tui.staff_teams t WHERE t.login_name = v_user;

    -- Each change read once, its numbers within bounds (as push_changes reads them); its
    -- case's record read only when it is the batch's one change to the case, new here,
    -- complete and of a size the store keeps, and kept only when it passes
    -- case_doc_problem (the checks of case_problem).
    v_ops := ARRAY(
        SELECT ROW(v.ord, v.seq, v.case_id, v.base, v.rev, v.kind, v.json, v.status,
            CASE WHEN v.doc IS NOT NULL
                    AND court_tui.case_doc_problem(v.case_id, v.rev, v.doc) IS NULL
                 THEN v.doc END,
            false)::court_tui.push_op
        FROM (
            SELECT w.*, CASE WHEN w.candidate THEN court_tui.json_doc(w.json) END AS doc
            FROM (
                SELECT x.*,
                    x.seq IS NOT NULL AND x.case_id IS NOT NULL
                    AND count(*) OVER (PARTITION BY x.case_id) = 1
                    AND count(*) OVER (PARTITION BY x.seq) = 1
                    AND x.base IS NOT NULL AND x.rev IS NOT NULL AND x.rev > x.base
                    AND x.json IS NOT NULL AND octet_length(x.json) <= {MAX_CASE_BYTES}
                    AND x.kind IN ('edit', 'keep-mine', 'take-theirs')
                    AND NOT EXISTS (SELECT FROM court_tui.applied_ops a
                                    WHERE a.device_id = p_device AND a.seq = x.seq)
                    AS candidate
                FROM (
                    SELECT o.ord::integer AS ord,
                        court_tui.json_int(o.op->'seq', 1, 9223372036854775807) AS seq,
                        CASE WHEN jsonb_typeof(o.op->'case_id') = 'string'
                                  AND length(o.op->>'case_id') BETWEEN 1 AND 100
                             THEN o.op->>'case_id' END AS case_id,
                        court_tui.json_int(o.op->'base_revision', 0,
                            {MAX_REVISION})::integer AS base,
                        court_tui.json_int(o.op->'revision', 1, {MAX_REVISION})::integer AS rev,
                        coalesce(o.op->>'kind', 'edit') AS kind,
                        CASE WHEN jsonb_typeof(o.op->'case_json') = 'string'
                             THEN o.op->>'case_json' END AS json,
                        -- The status is the laptop's reading of the case with its forms:
                        -- kept short.
                        left(coalesce(o.op->'summary'->>'status', ''), 60) AS status
                    FROM jsonb_array_elements(p_ops) WITH ORDINALITY AS o(op, ord)
                ) x
            ) w
            OFFSET 0  -- each record read once
        ) v
        ORDER BY v.ord);

    -- The feed locks of every team this call may write, as push_changes takes them: up
    -- front, in one order (push_changes, given the rest below, takes them again).
    FOR v_team_name IN
        SELECT x.team FROM (
            SELECT coalesce(o.doc->>'team',
                            court_tui.json_team(p_ops->(o.ord - 1)->'case_json')) AS team
                FROM unnest(v_ops) o
            UNION
            SELECT c.team FROM court_tui.cases c
                WHERE c.id IN (SELECT o.case_id FROM unnest(v_ops) o)
        ) x
        WHERE x.team = ANY (v_teams)
        UNION SELECT court_tui.receiving_teams_of(
            ARRAY(SELECT o.case_id FROM unnest(v_ops) o WHERE o.doc IS NOT NULL),
            ARRAY(SELECT o.doc FROM unnest(v_ops) o WHERE o.doc IS NOT NULL))
        UNION SELECT court_tui.receiving_teams(coalesce(
            (SELECT jsonb_agg(p_ops->(o.ord - 1) ORDER BY o.ord) FROM unnest(v_ops) o
             WHERE o.doc IS NULL), '[]'))
        ORDER BY 1
    LOOP
        PERFORM court_tui.lock_feed(v_team_name);
    END LOOP;

    -- The changes that can only be applied: on the team's and the store's revision of
    -- the case, no conflict open on it from this laptop. Their cases are held until
    -- this call ends.
    PERFORM FROM court_tui.cases c
        WHERE c.id IN (SELECT o.case_id FROM unnest(v_ops) o WHERE o.doc IS NOT NULL)
        ORDER BY c.id FOR UPDATE;
    v_fast := ARRAY(
        SELECT ROW(o.ord, o.seq, o.case_id, o.base_revision, o.revision, o.kind,
            o.case_json, o.status, o.doc, c.id IS NOT NULL)::court_tui.push_op
        FROM unnest(v_ops) o
        LEFT JOIN court_tui.cases c ON c.id = o.case_id
        WHERE o.doc IS NOT NULL AND o.doc->>'team' = ANY (v_teams)
          AND (c.id IS NULL OR (c.team = ANY (v_teams) AND c.revision = o.base_revision))
          AND NOT EXISTS (
            SELECT FROM court_tui.conflicts k
            WHERE k.case_id = o.case_id AND k.device_id = p_device AND k.resolved_at IS NULL)
        ORDER BY o.ord);

    INSERT INTO court_tui.applied_ops
        (device_id, seq, case_id, kind, base_revision, revision, outcome, content_md5,
         login_name)
        SELECT p_device, f.seq, f.case_id, f.kind, f.base_revision, f.revision, 'applied',
            md5(f.case_json), v_user
        FROM unnest(v_fast) f ORDER BY f.ord;
    INSERT INTO court_tui.cases AS c
        (id, revision, created_at, updated_at, officer, team, name, crn, pnc, court,
         courtroom, hearing_date, status, pending_checks, case_json, change_seq,
         changed_at, changed_by, changed_by_device, changed_by_seq)
        SELECT r.* FROM unnest(v_fast) f,
            LATERAL court_tui.case_row(f.case_id, f.revision, f.doc, f.case_json, f.status,
                v_user, p_device, f.seq) r
        WHERE NOT f.found ORDER BY f.ord
        ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_written = ROW_COUNT;
    -- The base check again, where it takes effect: never overwrite another version than
    -- the one a change was made on.
    UPDATE court_tui.cases c SET
            (revision, created_at, updated_at, officer, team, name, crn, pnc, court,
             courtroom, hearing_date, status, pending_checks, case_json, changed_at,
             changed_by, changed_by_device, changed_by_seq)
            = (r.revision, r.created_at, r.updated_at, r.officer, r.team, r.name, r.crn,
               r.pnc, r.court, r.courtroom, r.hearing_date, r.status, r.pending_checks,
               r.case_json, r.changed_at, r.changed_by, r.changed_by_device,
               r.changed_by_seq)
        FROM unnest(v_fast) f,
            LATERAL court_tui.case_row(f.case_id, f.revision, f.doc, f.case_json, f.status,
                v_user, p_device, f.seq) r
        WHERE f.found AND c.id = f.case_id AND c.revision = f.base_revision;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_written + v_count <> coalesce(array_length(v_fast, 1), 0) THEN
        RAISE EXCEPTION 'a case moved on while its change was applied';
    END IF;
    -- The rows supervisors read come from the case itself, never from beside it.
    PERFORM court_tui.put_cases_rows(ARRAY(SELECT f.case_id FROM unnest(v_fast) f),
        ARRAY(SELECT f.doc FROM unnest(v_fast) f),
        ARRAY(SELECT f.case_id FROM unnest(v_fast) f WHERE f.found));
    INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
        SELECT p_device, 'sync-apply', f.case_id,
            format('change %s (%s): revision %s to %s', f.seq, f.kind, f.base_revision,
                f.revision)
        FROM unnest(v_fast) f ORDER BY f.ord;

    -- Every other change, in its order, to push_changes: replays, refusals, conflicts,
    -- changes kept with a conflict, and cases changed more than once in the batch.
    SELECT jsonb_agg(p_ops->(o.ord - 1) ORDER BY o.ord), array_agg(o.ord ORDER BY o.ord)
        INTO v_rest, v_rest_ords
        FROM unnest(v_ops) o
        WHERE o.ord NOT IN (SELECT f.ord FROM unnest(v_fast) f);
    RETURN QUERY
        SELECT a.seq, a.outcome, a.duplicate, a.revision, a.detail, a.theirs_revision,
            a.theirs_json
        FROM (
            SELECT f.ord, f.seq, 'applied'::text AS outcome, false AS duplicate,
                f.revision, NULL::text AS detail, NULL::integer AS theirs_revision,
                NULL::text AS theirs_json
            FROM unnest(v_fast) f
            UNION ALL
            SELECT v_rest_ords[r.n], r.seq, r.outcome, r.duplicate, r.revision, r.detail,
                r.theirs_revision, r.theirs_json
            FROM court_tui.push_changes(p_device, coalesce(v_rest, '[]'))
                WITH ORDINALITY AS r(seq, outcome, duplicate, revision, detail,
                                     theirs_revision, theirs_json, n)
            WHERE v_rest IS NOT NULL
        ) a
        ORDER BY a.ord;
END
$$;
"""

# The central columns of a case as push_changes (0005) derives them from its record.
CASE_ROW = """
CREATE FUNCTION court_tui.case_row(p_case text, p_rev integer, p_doc jsonb, p_json text,
    p_status text, p_user text, p_device text, p_seq bigint)
RETURNS SETOF court_tui.cases
-- A set of one row, so that the planner writes it into the statement (no call a row).
LANGUAGE sql STABLE ROWS 1 AS $$
    SELECT p_case, p_rev,
        coalesce((p_doc->>'created_at')::timestamptz, now()),
        coalesce((p_doc->>'updated_at')::timestamptz, now()),
        coalesce(p_doc->>'officer', ''), p_doc->>'team',
        court_tui.answer_text(p_doc, 'name'),
        upper(court_tui.answer_text(p_doc, 'crn')),
        upper(court_tui.answer_text(p_doc, 'pnc')),
        court_tui.answer_text(p_doc, 'court'),
        court_tui.answer_text(p_doc, 'courtroom'),
        court_tui.try_date(court_tui.answer_text(p_doc, 'hearing_date')),
        p_status,
        (SELECT count(*) FROM jsonb_each(coalesce(p_doc->'checks', '{}')) e
         WHERE e.value->>'requested' = 'yes'
           AND jsonb_typeof(coalesce(e.value->'received_on', 'null')) = 'null')::integer,
        p_json, 0::bigint, now(), p_user, p_device, p_seq
$$;
"""

# The handover trigger (0004) once a statement instead of once a row: the same rule, for
# every case the statement wrote (each UPDATE of a case sets its record).
HANDOVERS = """
CREATE FUNCTION court_tui.handovers_from_cases() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
BEGIN
    WITH records AS MATERIALIZED (  -- each record read once
        SELECT n.id, n.changed_by, court_tui.json_doc(n.case_json)->'handover' AS handover
        FROM written_cases n
    ),
    said AS (
        SELECT r.id, r.changed_by,
            CASE WHEN jsonb_typeof(r.handover) = 'object'
                 THEN left(nullif(btrim(r.handover->>'sent_to'), ''), 200) END AS sent_to,
            CASE WHEN jsonb_typeof(r.handover) = 'object'
                 THEN left(nullif(btrim(r.handover->>'sent_to_team'), ''), 200) END
                AS sent_to_team
        FROM records r
    ),
    -- The same recipient as before (the RO's acceptance, the officer's later edits):
    -- the handover stands as it is. Only a registered login other than the writer, or a
    -- team someone is on, is kept (anything else would let no one in).
    kept AS (
        SELECT s.id, s.changed_by,
            CASE WHEN EXISTS (SELECT FROM court_tui.staff f WHERE f.login_name = s.sent_to)
                      AND s.sent_to <> s.changed_by THEN s.sent_to END AS sent_to,
            CASE WHEN EXISTS (SELECT FROM court_tui.staff_teams t WHERE t.team = s.sent_to_team)
                 THEN s.sent_to_team END AS sent_to_team
        FROM said s
        WHERE NOT EXISTS (
            SELECT FROM court_tui.handovers h WHERE h.case_id = s.id
               AND h.sent_to IS NOT DISTINCT FROM s.sent_to
               AND h.sent_to_team IS NOT DISTINCT FROM s.sent_to_team)
    ),
    -- A case sent back to no one loses its row, and with it the other team's access.
    dropped AS (
        DELETE FROM court_tui.handovers h USING kept k
        WHERE h.case_id = k.id AND k.sent_to IS NULL AND k.sent_to_team IS NULL
    )
    INSERT INTO court_tui.handovers AS h (case_id, sent_to, sent_to_team, sent_by)
        SELECT k.id, k.sent_to, k.sent_to_team, k.changed_by FROM kept k
        WHERE k.sent_to IS NOT NULL OR k.sent_to_team IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET
            sent_to = EXCLUDED.sent_to, sent_to_team = EXCLUDED.sent_to_team,
            sent_by = EXCLUDED.sent_by, sent_at = now(),
            accepted_by = NULL, accepted_at = NULL, accepted_revision = NULL;
    RETURN NULL;
END
$$;

DROP TRIGGER handover_from_case ON court_tui.cases;
DROP FUNCTION court_tui.handover_from_case();
CREATE TRIGGER handovers_from_new_cases AFTER INSERT ON court_tui.cases
    REFERENCING NEW TABLE AS written_cases
    FOR EACH STATEMENT EXECUTE FUNCTION court_tui.handovers_from_cases();
CREATE TRIGGER handovers_from_changed_cases AFTER UPDATE ON court_tui.cases
    REFERENCING NEW TABLE AS written_cases
    FOR EACH STATEMENT EXECUTE FUNCTION court_tui.handovers_from_cases();
"""

ACCESS = """
REVOKE EXECUTE ON FUNCTION court_tui.sync_protocol(), court_tui.json_doc(text),
    court_tui.put_cases_rows(text[], jsonb[], text[]),
    court_tui.receiving_teams_of(text[], jsonb[]),
    court_tui.case_row(text, integer, jsonb, text, text, text, text, bigint),
    court_tui.case_doc_problem(text, bigint, jsonb), court_tui.handovers_from_cases(),
    court_tui.push_batch(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION court_tui.sync_protocol() TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.push_batch(text, jsonb) TO court_tui_officer;
"""


def upgrade() -> None:
    for script in (HELPERS, CASE_ROW, PUSH_BATCH, HANDOVERS, ACCESS):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
