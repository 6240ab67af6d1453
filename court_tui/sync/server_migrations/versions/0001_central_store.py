"""The central store: cases scoped to teams by row-level security, the change feed, the
applied-operations table, conflicts, the insert-only audit log and the sync functions.

Revision ID: 0001
Revises:

Officers and supervisors never write a table directly: officers send changes through
`push_changes`, supervisors write notes through `add_supervisor_note`. Both are SECURITY
DEFINER functions owned by court_tui_owner that check the caller's team themselves. Reads
go straight to the tables, where row-level security keeps each person to their teams.

Longer than other modules because it is one revision, applied as written on every
central store: a shipped migration is history and is never split or rewritten.
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

# pg_advisory_xact_lock key: one writer of the change feed at a time (see feed_change).
FEED_LOCK = 7_305_202_601

TABLES = """
CREATE SEQUENCE court_tui.change_seq AS bigint;

CREATE TABLE court_tui.staff (
    login_name text PRIMARY KEY,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('officer', 'supervisor')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE court_tui.staff_teams (
    login_name text NOT NULL REFERENCES court_tui.staff (login_name) ON DELETE CASCADE,
    team text NOT NULL,
    PRIMARY KEY (login_name, team)
);
CREATE INDEX ix_staff_teams_team ON court_tui.staff_teams (team);

CREATE TABLE court_tui.devices (
    device_id text PRIMARY KEY,
    login_name text NOT NULL REFERENCES court_tui.staff (login_name),
    first_contact timestamptz NOT NULL DEFAULT now(),
    last_contact timestamptz NOT NULL DEFAULT now(),
    last_push timestamptz,
    last_pull timestamptz
);

-- The local store's columns, then where the row sits in the change feed and who made it.
CREATE TABLE court_tui.cases (
    id text PRIMARY KEY,
    revision integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    officer text NOT NULL,
    team text NOT NULL,
    name text NOT NULL,
    crn text NOT NULL,
    pnc text NOT NULL,
    court text NOT NULL,
    courtroom text NOT NULL,
    hearing_date date,
    status text NOT NULL,
    pending_checks integer NOT NULL,
    case_json text NOT NULL,
    change_seq bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL,
    changed_by_device text NOT NULL,
    changed_by_seq bigint NOT NULL
);
CREATE INDEX ix_cases_team ON court_tui.cases (team);
CREATE INDEX ix_cases_change_seq ON court_tui.cases (change_seq);
CREATE INDEX ix_cases_hearing_date_name ON court_tui.cases (hearing_date, name);
CREATE INDEX ix_cases_crn ON court_tui.cases (crn);

CREATE TABLE court_tui.answers (
    case_id text NOT NULL REFERENCES court_tui.cases (id),
    question text NOT NULL,
    value text NOT NULL,
    not_known boolean NOT NULL,
    PRIMARY KEY (case_id, question)
);
CREATE INDEX ix_answers_question ON court_tui.answers (question);

CREATE TABLE court_tui.checks (
    case_id text NOT NULL REFERENCES court_tui.cases (id),
    kind text NOT NULL,
    requested text,
    not_requested_reason text,
    agency text,
    requested_on date,
    reference text,
    expected_by date,
    received_on date,
    result text,
    how_checked text,
    summary text,
    reported_to_court text,
    status text NOT NULL,
    PRIMARY KEY (case_id, kind)
);
CREATE INDEX ix_checks_outstanding_expected_by ON court_tui.checks (expected_by)
    WHERE status = 'Outstanding';

CREATE TABLE court_tui.follow_ups (
    id text PRIMARY KEY,
    case_id text NOT NULL REFERENCES court_tui.cases (id),
    question text NOT NULL,
    owner text NOT NULL,
    action text NOT NULL,
    due date,
    recorded_on date NOT NULL,
    recorded_by text NOT NULL,
    closed_on date,
    closed_by text,
    answer text,
    reviewed_by text,
    review_note text
);
CREATE INDEX ix_follow_ups_case_id ON court_tui.follow_ups (case_id);
CREATE INDEX ix_follow_ups_open_due ON court_tui.follow_ups (due) WHERE closed_on IS NULL;

CREATE TABLE court_tui.supervisor_notes (
    id text PRIMARY KEY,
    case_id text NOT NULL REFERENCES court_tui.cases (id),
    item_id text,
    note text NOT NULL,
    written_by text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL
);
CREATE INDEX ix_supervisor_notes_case_id ON court_tui.supervisor_notes (case_id);
CREATE INDEX ix_supervisor_notes_change_seq ON court_tui.supervisor_notes (change_seq);

CREATE TABLE court_tui.reference_data (
    kind text PRIMARY KEY,
    payload text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL
);
CREATE INDEX ix_reference_data_change_seq ON court_tui.reference_data (change_seq);

-- Every change received, keyed by (device, sequence): a replay finds its row here.
CREATE TABLE court_tui.applied_ops (
    device_id text NOT NULL,
    seq bigint NOT NULL,
    case_id text NOT NULL,
    kind text NOT NULL,
    base_revision integer NOT NULL,
    revision integer NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('applied', 'conflict', 'held')),
    content_md5 text NOT NULL,
    login_name text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);
CREATE INDEX ix_applied_ops_case_id ON court_tui.applied_ops (case_id);

-- Both versions of a case changed in two places, until the officer chooses.
CREATE TABLE court_tui.conflicts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id text NOT NULL REFERENCES court_tui.cases (id),
    device_id text NOT NULL,
    seq bigint NOT NULL,
    login_name text NOT NULL,
    base_revision integer NOT NULL,
    mine_revision integer NOT NULL,
    mine_json text NOT NULL,
    theirs_revision integer NOT NULL,
    theirs_json text NOT NULL,
    detected_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution text CHECK (resolution IN ('mine', 'theirs', 'superseded')),
    resolved_by_seq bigint,
    UNIQUE (device_id, seq)
);
CREATE UNIQUE INDEX ix_conflicts_open ON court_tui.conflicts (case_id, device_id)
    WHERE resolved_at IS NULL;

CREATE TABLE court_tui.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text NOT NULL DEFAULT session_user,
    device_id text NOT NULL DEFAULT '',
    action text NOT NULL,
    case_id text,
    detail text NOT NULL DEFAULT ''
);
CREATE INDEX ix_audit_log_case_id ON court_tui.audit_log (case_id);
"""

TRIGGERS = f"""
-- Writers of the feed take one lock until they commit, so change_seq values become
-- visible in order: a reader's cursor can never pass a change that commits later.
CREATE FUNCTION court_tui.feed_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = court_tui, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({FEED_LOCK});
    NEW.change_seq := nextval('court_tui.change_seq');
    RETURN NEW;
END
$$;

CREATE TRIGGER cases_feed BEFORE INSERT OR UPDATE ON court_tui.cases
    FOR EACH ROW EXECUTE FUNCTION court_tui.feed_change();
CREATE TRIGGER supervisor_notes_feed BEFORE INSERT OR UPDATE ON court_tui.supervisor_notes
    FOR EACH ROW EXECUTE FUNCTION court_tui.feed_change();
CREATE TRIGGER reference_data_feed BEFORE INSERT OR UPDATE ON court_tui.reference_data
    FOR EACH ROW EXECUTE FUNCTION court_tui.feed_change();

-- Stops even the owner: the audit log and the record of applied changes only grow.
CREATE FUNCTION court_tui.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'court_tui.% is insert-only: rows cannot be changed or removed',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_insert_only BEFORE UPDATE OR DELETE ON court_tui.audit_log
    FOR EACH ROW EXECUTE FUNCTION court_tui.refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON court_tui.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION court_tui.refuse_change();
CREATE TRIGGER applied_ops_insert_only BEFORE UPDATE OR DELETE ON court_tui.applied_ops
    FOR EACH ROW EXECUTE FUNCTION court_tui.refuse_change();
CREATE TRIGGER applied_ops_no_truncate BEFORE TRUNCATE ON court_tui.applied_ops
    FOR EACH STATEMENT EXECUTE FUNCTION court_tui.refuse_change();
"""

PUSH = f"""
CREATE FUNCTION court_tui.push_changes(p_device text, p_ops jsonb)
RETURNS TABLE (
    seq bigint, outcome text, duplicate boolean, revision integer, detail text,
    theirs_revision integer, theirs_json text
)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_user text := session_user;
    v_teams text[];
    v_owner text;
    v_op jsonb;
    v_seq bigint;
    v_case text;
    v_base integer;
    v_rev integer;
    v_kind text;
    v_json text;
    v_md5 text;
    v_team text;
    v_prev court_tui.applied_ops%ROWTYPE;
    v_cur court_tui.cases%ROWTYPE;
    v_found boolean;
    v_open bigint;
    v_outcome text;
    v_row court_tui.cases%ROWTYPE;
    v_blocked text[] := '{{}}';
    v_count integer;
BEGIN
    IF NOT pg_has_role(v_user, 'court_tui_officer', 'MEMBER') THEN
        RAISE EXCEPTION 'only officers send changes to the central store'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock({FEED_LOCK});
    SELECT coalesce(array_agg(t.team), '{{}}') INTO v_teams
        FROM court_tui.staff_teams t WHERE t.login_name = v_user;

    SELECT d.login_name INTO v_owner FROM court_tui.devices d WHERE d.device_id = p_device;
    IF NOT FOUND THEN
        INSERT INTO court_tui.devices (device_id, login_name) VALUES (p_device, v_user);
    ELSIF v_owner <> v_user THEN
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (p_device, 'sync-refused', 'device registered to ' || v_owner);
        FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
            seq := (v_op->>'seq')::bigint;
            outcome := 'rejected';
            duplicate := false;
            detail := 'This laptop''s device id belongs to another user on the central store.';
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    UPDATE court_tui.devices d SET last_contact = now(), last_push = now()
        WHERE d.device_id = p_device;

    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        v_seq := (v_op->>'seq')::bigint;
        v_case := v_op->>'case_id';
        v_base := (v_op->>'base_revision')::integer;
        v_rev := (v_op->>'revision')::integer;
        v_kind := coalesce(v_op->>'kind', 'edit');
        v_json := v_op->>'case_json';
        v_md5 := md5(coalesce(v_json, ''));
        seq := v_seq;
        duplicate := false;
        revision := NULL;
        detail := NULL;
        theirs_revision := NULL;
        theirs_json := NULL;

        -- A change seen before: report what it did the first time, and do nothing.
        SELECT * INTO v_prev FROM court_tui.applied_ops a
            WHERE a.device_id = p_device AND a.seq = v_seq;
        IF FOUND THEN
            IF v_prev.content_md5 <> v_md5 OR v_prev.case_id IS DISTINCT FROM v_case THEN
                outcome := 'rejected';
                detail := format('The central store already has change %s from this laptop '
                    'with different content (was the laptop restored from a backup?).', v_seq);
                v_blocked := v_blocked || v_case;
            ELSE
                outcome := v_prev.outcome;
                duplicate := true;
                revision := v_prev.revision;
                IF v_prev.outcome <> 'applied' THEN
                    SELECT c.revision, c.case_json INTO theirs_revision, theirs_json
                        FROM court_tui.cases c WHERE c.id = v_case;
                END IF;
            END IF;
            RETURN NEXT;
            CONTINUE;
        END IF;

        IF v_seq IS NULL OR v_case IS NULL OR v_json IS NULL OR v_base IS NULL
                OR v_rev IS NULL OR v_rev <= v_base
                OR v_kind NOT IN ('edit', 'keep-mine', 'take-theirs') THEN
            outcome := 'rejected';
            detail := 'The change is incomplete, so the central store cannot apply it.';
            v_blocked := v_blocked || v_case;
            RETURN NEXT;
            CONTINUE;
        END IF;
        IF v_case = ANY (v_blocked) THEN
            outcome := 'blocked';
            detail := 'Waiting for an earlier change to this case that was not accepted.';
            RETURN NEXT;
            CONTINUE;
        END IF;

        v_team := v_op->'summary'->>'team';
        SELECT * INTO v_cur FROM court_tui.cases c WHERE c.id = v_case;
        v_found := FOUND;
        IF v_team IS NULL OR NOT (v_team = ANY (v_teams))
                OR (v_found AND NOT (v_cur.team = ANY (v_teams))) THEN
            outcome := 'rejected';
            IF v_found AND NOT (v_cur.team = ANY (v_teams)) THEN
                detail := 'This case belongs to a team you are not on in the central store.';
            ELSE
                detail := format('You are not on team "%s" in the central store.',
                    coalesce(v_team, ''));
            END IF;
            v_blocked := v_blocked || v_case;
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (p_device, 'sync-reject', v_case, format('change %s: %s', v_seq, detail));
            RETURN NEXT;
            CONTINUE;
        END IF;

        SELECT k.id INTO v_open FROM court_tui.conflicts k
            WHERE k.case_id = v_case AND k.device_id = p_device AND k.resolved_at IS NULL;
        IF NOT FOUND THEN
            v_open := NULL;
        END IF;
        IF v_open IS NOT NULL AND v_kind = 'edit' THEN
            v_outcome := 'held';
        ELSIF NOT v_found OR v_cur.revision = v_base THEN
            v_outcome := 'applied';
        ELSE
            v_outcome := 'conflict';
        END IF;

        INSERT INTO court_tui.applied_ops
            (device_id, seq, case_id, kind, base_revision, revision, outcome, content_md5,
             login_name)
            VALUES (p_device, v_seq, v_case, v_kind, v_base, v_rev, v_outcome, v_md5, v_user);
        outcome := v_outcome;

        IF v_outcome = 'applied' THEN
            v_row := jsonb_populate_record(NULL::court_tui.cases, v_op->'summary');
            INSERT INTO court_tui.cases AS c
                (id, revision, created_at, updated_at, officer, team, name, crn, pnc, court,
                 courtroom, hearing_date, status, pending_checks, case_json, change_seq,
                 changed_at, changed_by, changed_by_device, changed_by_seq)
                VALUES (v_case, v_rev, v_row.created_at, v_row.updated_at, v_row.officer,
                    v_team, v_row.name, v_row.crn, v_row.pnc, v_row.court, v_row.courtroom,
                    v_row.hearing_date, v_row.status, v_row.pending_checks, v_json, 0, now(),
                    v_user, p_device, v_seq)
                ON CONFLICT (id) DO UPDATE SET
                    revision = EXCLUDED.revision, created_at = EXCLUDED.created_at,
                    updated_at = EXCLUDED.updated_at, officer = EXCLUDED.officer,
                    team = EXCLUDED.team, name = EXCLUDED.name, crn = EXCLUDED.crn,
                    pnc = EXCLUDED.pnc, court = EXCLUDED.court,
                    courtroom = EXCLUDED.courtroom, hearing_date = EXCLUDED.hearing_date,
                    status = EXCLUDED.status, pending_checks = EXCLUDED.pending_checks,
                    case_json = EXCLUDED.case_json, changed_at = EXCLUDED.changed_at,
                    changed_by = EXCLUDED.changed_by,
                    changed_by_device = EXCLUDED.changed_by_device,
                    changed_by_seq = EXCLUDED.changed_by_seq
                -- The base check again, where it takes effect: never overwrite another
                -- version than the one this change was made on.
                WHERE c.revision = v_base;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            IF v_count <> 1 THEN
                RAISE EXCEPTION 'case % moved on while change % was applied', v_case, v_seq;
            END IF;
            IF v_found THEN
                DELETE FROM court_tui.answers a WHERE a.case_id = v_case;
                DELETE FROM court_tui.checks k WHERE k.case_id = v_case;
                DELETE FROM court_tui.follow_ups f WHERE f.case_id = v_case;
            END IF;
            INSERT INTO court_tui.answers (case_id, question, value, not_known)
                SELECT v_case, r.question, r.value, r.not_known
                FROM jsonb_populate_recordset(NULL::court_tui.answers, v_op->'answers') r;
            INSERT INTO court_tui.checks
                (case_id, kind, requested, not_requested_reason, agency, requested_on,
                 reference, expected_by, received_on, result, how_checked, summary,
                 reported_to_court, status)
                SELECT v_case, r.kind, r.requested, r.not_requested_reason, r.agency,
                    r.requested_on, r.reference, r.expected_by, r.received_on, r.result,
                    r.how_checked, r.summary, r.reported_to_court, r.status
                FROM jsonb_populate_recordset(NULL::court_tui.checks, v_op->'checks') r;
            INSERT INTO court_tui.follow_ups
                (id, case_id, question, owner, action, due, recorded_on, recorded_by,
                 closed_on, closed_by, answer, reviewed_by, review_note)
                SELECT r.id, v_case, r.question, r.owner, r.action, r.due, r.recorded_on,
                    r.recorded_by, r.closed_on, r.closed_by, r.answer, r.reviewed_by,
                    r.review_note
                FROM jsonb_populate_recordset(NULL::court_tui.follow_ups, v_op->'follow_ups') r;
            IF v_open IS NOT NULL THEN
                UPDATE court_tui.conflicts k SET resolved_at = now(), updated_at = now(),
                    resolution = CASE v_kind WHEN 'take-theirs' THEN 'theirs' ELSE 'mine' END,
                    resolved_by_seq = v_seq
                    WHERE k.id = v_open;
            END IF;
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (p_device, 'sync-apply', v_case,
                    format('change %s (%s): revision %s to %s', v_seq, v_kind, v_base, v_rev));
            revision := v_rev;
        ELSIF v_outcome = 'conflict' THEN
            IF v_open IS NOT NULL THEN
                UPDATE court_tui.conflicts k SET resolved_at = now(), updated_at = now(),
                    resolution = 'superseded', resolved_by_seq = v_seq
                    WHERE k.id = v_open;
            END IF;
            INSERT INTO court_tui.conflicts
                (case_id, device_id, seq, login_name, base_revision, mine_revision, mine_json,
                 theirs_revision, theirs_json)
                VALUES (v_case, p_device, v_seq, v_user, v_base, v_rev, v_json,
                    v_cur.revision, v_cur.case_json);
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (p_device, 'sync-conflict', v_case,
                    format('change %s based on revision %s; the central store has %s',
                        v_seq, v_base, v_cur.revision));
            revision := v_cur.revision;
            theirs_revision := v_cur.revision;
            theirs_json := v_cur.case_json;
            detail := format('The case was changed elsewhere (the central store has revision '
                '%s; this change was made on revision %s).', v_cur.revision, v_base);
        ELSE
            UPDATE court_tui.conflicts k SET mine_json = v_json, mine_revision = v_rev,
                updated_at = now()
                WHERE k.id = v_open AND k.mine_revision < v_rev;
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (p_device, 'sync-held', v_case,
                    format('change %s kept with the open conflict', v_seq));
            revision := v_cur.revision;
            theirs_revision := v_cur.revision;
            theirs_json := v_cur.case_json;
            detail := 'Kept with the open conflict on this case until you choose a version.';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
"""

PULL = """
CREATE TYPE court_tui.change_item AS (
    change_seq bigint, kind text, key text, revision integer, payload text, detail jsonb
);

-- Runs as the caller, so row-level security decides what comes back; the disclosure to
-- the device is written to the audit log by record_pull.
CREATE FUNCTION court_tui.pull_changes(p_device text, p_cursor bigint, p_limit integer)
RETURNS SETOF court_tui.change_item
LANGUAGE plpgsql SECURITY INVOKER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_items court_tui.change_item[];
    v_high bigint;
BEGIN
    SELECT array_agg(
        ROW(x.change_seq, x.kind, x.key, x.revision, x.payload, x.detail)::court_tui.change_item
        ORDER BY x.change_seq) INTO v_items FROM (
        SELECT * FROM (
            SELECT c.change_seq, 'case'::text AS kind, c.id AS key, c.revision,
                c.case_json AS payload,
                jsonb_build_object('team', c.team, 'changed_by', c.changed_by) AS detail
            FROM court_tui.cases c
            WHERE c.change_seq > p_cursor AND c.changed_by_device <> p_device
            UNION ALL
            SELECT n.change_seq, 'note', n.id, NULL::integer, n.note,
                jsonb_build_object('case_id', n.case_id, 'item_id', n.item_id,
                    'written_by', n.written_by, 'written_at', n.written_at)
            FROM court_tui.supervisor_notes n WHERE n.change_seq > p_cursor
            UNION ALL
            SELECT r.change_seq, 'reference', r.kind, NULL::integer, r.payload,
                jsonb_build_object('updated_at', r.updated_at)
            FROM court_tui.reference_data r WHERE r.change_seq > p_cursor
        ) AS feed ORDER BY feed.change_seq LIMIT p_limit
    ) AS x;
    -- The highest change this snapshot can see (the caller's own included), so a caller
    -- whose page was not full can move its cursor past changes it had no need of.
    SELECT greatest(
        (SELECT max(c.change_seq) FROM court_tui.cases c),
        (SELECT max(n.change_seq) FROM court_tui.supervisor_notes n),
        (SELECT max(r.change_seq) FROM court_tui.reference_data r)
    ) INTO v_high;
    PERFORM court_tui.record_pull(p_device,
        ARRAY(SELECT i.key FROM unnest(v_items) i WHERE i.kind = 'case'));
    RETURN QUERY SELECT * FROM unnest(v_items);
    RETURN QUERY SELECT coalesce(v_high, 0), 'cursor'::text, ''::text, NULL::integer,
        NULL::text, NULL::jsonb;
END
$$;

CREATE FUNCTION court_tui.record_pull(p_device text, p_case_ids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_owner text;
BEGIN
    SELECT d.login_name INTO v_owner FROM court_tui.devices d WHERE d.device_id = p_device;
    IF NOT FOUND THEN
        IF NOT EXISTS (SELECT FROM court_tui.staff s WHERE s.login_name = session_user) THEN
            RAISE EXCEPTION 'you are not registered on the central store'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO court_tui.devices (device_id, login_name) VALUES (p_device, session_user);
    ELSIF v_owner <> session_user THEN
        RAISE EXCEPTION 'this laptop''s device id belongs to another user'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE court_tui.devices d SET last_contact = now(), last_pull = now()
        WHERE d.device_id = p_device;
    INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
        SELECT p_device, 'sync-pull', c.id, format('revision %s sent to the laptop', c.revision)
        FROM court_tui.cases c
        WHERE c.id = ANY (p_case_ids)
          AND c.team IN (SELECT t.team FROM court_tui.staff_teams t
                         WHERE t.login_name = session_user);
END
$$;
"""

SUPERVISION = """
CREATE FUNCTION court_tui.add_supervisor_note(p_case_id text, p_item_id text, p_note text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_id text := gen_random_uuid()::text;
    v_name text;
BEGIN
    IF NOT pg_has_role(session_user, 'court_tui_supervisor', 'MEMBER') THEN
        RAISE EXCEPTION 'only supervisors write oversight notes'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (
        SELECT FROM court_tui.cases c
        JOIN court_tui.staff_teams t ON t.team = c.team AND t.login_name = session_user
        WHERE c.id = p_case_id
    ) THEN
        RAISE EXCEPTION 'no case % in your teams', p_case_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(btrim(p_note), '') = '' THEN
        RAISE EXCEPTION 'the note is empty' USING ERRCODE = 'check_violation';
    END IF;
    SELECT s.display_name INTO v_name FROM court_tui.staff s WHERE s.login_name = session_user;
    INSERT INTO court_tui.supervisor_notes (id, case_id, item_id, note, written_by, change_seq)
        VALUES (v_id, p_case_id, p_item_id, p_note, coalesce(v_name, session_user), 0);
    INSERT INTO court_tui.audit_log (action, case_id, detail)
        VALUES ('note', p_case_id, coalesce(p_item_id, ''));
    RETURN v_id;
END
$$;

-- Each laptop of the people in the caller's teams, with its last contact: so that
-- "no pending checks" is never confused with "not synced yet".
CREATE FUNCTION court_tui.team_devices()
RETURNS TABLE (device_id text, login_name text, display_name text, teams text[],
               first_contact timestamptz, last_contact timestamptz,
               last_push timestamptz, last_pull timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT d.device_id, d.login_name, s.display_name,
        ARRAY(SELECT t.team FROM court_tui.staff_teams t
              WHERE t.login_name = d.login_name ORDER BY t.team),
        d.first_contact, d.last_contact, d.last_push, d.last_pull
    FROM court_tui.devices d
    JOIN court_tui.staff s ON s.login_name = d.login_name
    WHERE pg_has_role(session_user, 'court_tui_supervisor', 'MEMBER')
      AND EXISTS (
        SELECT FROM court_tui.staff_teams theirs
        JOIN court_tui.staff_teams mine
          ON mine.team = theirs.team AND mine.login_name = session_user
        WHERE theirs.login_name = d.login_name)
    ORDER BY d.last_contact
$$;

-- Outstanding checks and open follow-ups of the caller's teams (row-level security).
CREATE VIEW court_tui.pending_items WITH (security_invoker = true) AS
    SELECT c.team, c.officer, c.id AS case_id, c.name, c.crn, c.court, c.hearing_date,
        'check'::text AS kind, k.kind AS item_id, k.agency AS what, k.requested_on AS since,
        k.expected_by AS due
    FROM court_tui.checks k JOIN court_tui.cases c ON c.id = k.case_id
    WHERE k.status = 'Outstanding'
    UNION ALL
    SELECT c.team, c.officer, c.id, c.name, c.crn, c.court, c.hearing_date,
        'follow_up', f.id, f.action, f.recorded_on, f.due
    FROM court_tui.follow_ups f JOIN court_tui.cases c ON c.id = f.case_id
    WHERE f.closed_on IS NULL;
"""

ACCESS = """
REVOKE ALL ON SCHEMA court_tui FROM PUBLIC;
GRANT USAGE ON SCHEMA court_tui TO court_tui_officer, court_tui_supervisor;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA court_tui FROM PUBLIC;

GRANT SELECT ON court_tui.cases, court_tui.answers, court_tui.checks, court_tui.follow_ups,
    court_tui.supervisor_notes, court_tui.reference_data, court_tui.conflicts,
    court_tui.staff, court_tui.staff_teams, court_tui.pending_items
    TO court_tui_officer, court_tui_supervisor;
GRANT SELECT ON court_tui.audit_log TO court_tui_supervisor;
REVOKE UPDATE, DELETE, TRUNCATE ON court_tui.audit_log, court_tui.applied_ops FROM PUBLIC;

GRANT EXECUTE ON FUNCTION court_tui.push_changes(text, jsonb) TO court_tui_officer;
GRANT EXECUTE ON FUNCTION court_tui.pull_changes(text, bigint, integer),
    court_tui.record_pull(text, text[]) TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.add_supervisor_note(text, text, text),
    court_tui.team_devices() TO court_tui_supervisor;

ALTER TABLE court_tui.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.staff_teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.follow_ups ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.supervisor_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.applied_ops ENABLE ROW LEVEL SECURITY;
ALTER TABLE court_tui.devices ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_row ON court_tui.staff FOR SELECT
    TO court_tui_officer, court_tui_supervisor USING (login_name = current_user);
CREATE POLICY own_teams ON court_tui.staff_teams FOR SELECT
    TO court_tui_officer, court_tui_supervisor USING (login_name = current_user);
CREATE POLICY team_cases ON court_tui.cases FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (team IN (SELECT t.team FROM court_tui.staff_teams t
                    WHERE t.login_name = current_user));
-- A row of a case is visible when its case is: the subquery is itself under the policy.
CREATE POLICY team_cases ON court_tui.answers FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
CREATE POLICY team_cases ON court_tui.checks FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
CREATE POLICY team_cases ON court_tui.follow_ups FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
CREATE POLICY team_cases ON court_tui.supervisor_notes FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
CREATE POLICY team_cases ON court_tui.conflicts FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
CREATE POLICY team_cases ON court_tui.audit_log FOR SELECT
    TO court_tui_supervisor
    USING (case_id IN (SELECT c.id FROM court_tui.cases c));
"""


def upgrade() -> None:
    for script in (TABLES, TRIGGERS, PUSH, PULL, SUPERVISION, ACCESS):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
