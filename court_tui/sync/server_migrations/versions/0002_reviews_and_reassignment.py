"""Supervisors' laptops send their changes and oversight notes; supervisors reassign
follow-ups on the central store, and their reads are written to its audit log; indexes
for the review's "Received in the last seven days" tab.

Revision ID: 0002
Revises: 0001

`push_changes` is 0001's with one change: supervisors may call it (held to their teams
as officers are), so that a follow-up reassigned on a supervisor's laptop, or a case of
their own, reaches the central store.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

# pg_advisory_xact_lock key: one writer of the change feed at a time (as in 0001).
FEED_LOCK = 7_305_202_601

INDEXES = """
CREATE INDEX ix_checks_received_on ON court_tui.checks (received_on)
    WHERE status = 'Received';
CREATE INDEX ix_follow_ups_closed_on ON court_tui.follow_ups (closed_on)
    WHERE closed_on IS NOT NULL;
"""

PUSH = f"""
CREATE OR REPLACE FUNCTION court_tui.push_changes(p_device text, p_ops jsonb)
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
    -- A supervisor's laptop sends the reviews and reassignments made on it, and their own
    -- cases' changes; the team checks below hold them to their teams as they hold officers.
    IF NOT (pg_has_role(v_user, 'court_tui_officer', 'MEMBER')
            OR pg_has_role(v_user, 'court_tui_supervisor', 'MEMBER')) THEN
        RAISE EXCEPTION 'only officers and supervisors send changes to the central store'
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

SUPERVISION = f"""
-- A follow-up given to someone else by a supervisor, on the central store's copy of the
-- case: the case moves on a revision and into the change feed, so the laptops holding it
-- take the new owner at their next sync (a laptop with its own unsent changes to the case
-- gets both versions to choose between, as with any change made in two places).
CREATE FUNCTION court_tui.reassign_follow_up(p_case_id text, p_follow_up_id text, p_owner text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_user text := session_user;
    v_owner text := btrim(coalesce(p_owner, ''));
    v_case court_tui.cases%ROWTYPE;
    v_doc jsonb;
    v_item jsonb;
    v_list jsonb;
    v_now timestamptz := now();
BEGIN
    IF NOT pg_has_role(v_user, 'court_tui_supervisor', 'MEMBER') THEN
        RAISE EXCEPTION 'only supervisors reassign follow-ups'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_owner = '' THEN
        RAISE EXCEPTION 'the new owner is empty' USING ERRCODE = 'check_violation';
    END IF;
    -- The change feed's lock before the case's row, in the order push_changes takes them.
    PERFORM pg_advisory_xact_lock({FEED_LOCK});
    SELECT c.* INTO v_case FROM court_tui.cases c
        WHERE c.id = p_case_id
          AND c.team IN (SELECT t.team FROM court_tui.staff_teams t WHERE t.login_name = v_user)
        FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no case % in your teams', p_case_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    v_doc := v_case.case_json::jsonb;
    SELECT e.f INTO v_item FROM jsonb_array_elements(v_doc->'follow_ups') AS e(f)
        WHERE e.f->>'id' = p_follow_up_id;
    IF v_item IS NULL THEN
        RAISE EXCEPTION 'the follow-up is no longer on the case' USING ERRCODE = 'no_data_found';
    END IF;
    IF v_item->>'closed_on' IS NOT NULL THEN
        RAISE EXCEPTION 'the follow-up has been closed' USING ERRCODE = 'check_violation';
    END IF;
    IF v_item->>'owner' = v_owner THEN
        RETURN v_case.revision;
    END IF;
    SELECT jsonb_agg(CASE WHEN e.f->>'id' = p_follow_up_id
                          THEN jsonb_set(e.f, '{{owner}}', to_jsonb(v_owner)) ELSE e.f END
                     ORDER BY e.n)
        INTO v_list FROM jsonb_array_elements(v_doc->'follow_ups') WITH ORDINALITY AS e(f, n);
    v_doc := v_doc || jsonb_build_object(
        'follow_ups', v_list,
        'revision', v_case.revision + 1,
        'updated_at', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    UPDATE court_tui.cases c SET revision = v_case.revision + 1, updated_at = v_now,
            case_json = v_doc::text, changed_at = v_now, changed_by = v_user,
            changed_by_device = '', changed_by_seq = 0
        WHERE c.id = p_case_id;
    UPDATE court_tui.follow_ups f SET owner = v_owner
        WHERE f.id = p_follow_up_id AND f.case_id = p_case_id;
    INSERT INTO court_tui.audit_log (action, case_id, detail)
        VALUES ('reassign', p_case_id, format('follow-up %s: from %s to %s; revision %s to %s',
            p_follow_up_id, v_item->>'owner', v_owner, v_case.revision, v_case.revision + 1));
    RETURN v_case.revision + 1;
END
$$;

-- A supervisor's reading of cases on the central store ('view': a case opened;
-- 'disclose': cases written out, as a CSV), one audit row a case of their teams.
CREATE FUNCTION court_tui.record_review_access(p_action text, p_case_ids text[], p_detail text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF NOT pg_has_role(session_user, 'court_tui_supervisor', 'MEMBER') THEN
        RAISE EXCEPTION 'only supervisors record review access'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_action NOT IN ('view', 'disclose') THEN
        RAISE EXCEPTION 'unknown review access %', p_action USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO court_tui.audit_log (action, case_id, detail)
        SELECT p_action, c.id, coalesce(p_detail, '')
        FROM court_tui.cases c
        WHERE c.id = ANY (p_case_ids)
          AND c.team IN (SELECT t.team FROM court_tui.staff_teams t
                         WHERE t.login_name = session_user)
        ORDER BY c.id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

REVOKE EXECUTE ON FUNCTION court_tui.reassign_follow_up(text, text, text),
    court_tui.record_review_access(text, text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION court_tui.push_changes(text, jsonb)
    TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.reassign_follow_up(text, text, text),
    court_tui.record_review_access(text, text[], text) TO court_tui_supervisor;
"""


NOTES = """
-- Oversight notes written on a supervisor's laptop (in the review, offline or not), sent
-- by its next sync. Idempotent by the note's id: a note already here is 'duplicate',
-- whoever sends it (a laptop sends back what it pulled before it kept track). The name
-- written is the sender's on the central store, never what the laptop says; the time is
-- the laptop's, when the note was written, but never later than now.
CREATE FUNCTION court_tui.push_notes(p_device text, p_notes jsonb)
RETURNS TABLE (id text, outcome text, detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_user text := session_user;
    v_supervisor boolean := pg_has_role(session_user, 'court_tui_supervisor', 'MEMBER');
    v_name text;
    v_note jsonb;
    v_id text;
    v_case text;
    v_text text;
    v_at timestamptz;
    v_owner text;
BEGIN
    SELECT s.display_name INTO v_name FROM court_tui.staff s WHERE s.login_name = v_user;
    -- A laptop belongs to whoever first synced it, as push_changes holds it.
    SELECT d.login_name INTO v_owner FROM court_tui.devices d WHERE d.device_id = p_device;
    IF FOUND AND v_owner <> v_user THEN
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (p_device, 'sync-refused', 'notes: device registered to ' || v_owner);
        FOR v_note IN SELECT value FROM jsonb_array_elements(p_notes) LOOP
            id := v_note->>'id';
            outcome := 'rejected';
            detail := 'This laptop''s device id belongs to another user on the central store.';
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    FOR v_note IN SELECT value FROM jsonb_array_elements(p_notes) LOOP
        v_id := v_note->>'id';
        id := v_id;
        v_case := v_note->>'case_id';
        v_text := btrim(coalesce(v_note->>'note', ''));
        detail := NULL;
        IF EXISTS (SELECT FROM court_tui.supervisor_notes n WHERE n.id = v_id) THEN
            outcome := 'duplicate';
        ELSIF NOT v_supervisor THEN
            outcome := 'rejected';
            detail := 'Only a supervisor''s login can send oversight notes.';
        ELSIF v_text = '' OR v_id IS NULL OR v_case IS NULL THEN
            outcome := 'rejected';
            detail := 'The note is empty or incomplete.';
        ELSIF NOT EXISTS (
            SELECT FROM court_tui.cases c
            WHERE c.id = v_case
              AND c.team IN (SELECT t.team FROM court_tui.staff_teams t
                             WHERE t.login_name = v_user)
        ) THEN
            outcome := 'rejected';
            detail := 'The case is not on the central store in your teams (yet).';
        ELSE
            v_at := least(coalesce((v_note->>'written_at')::timestamptz, now()), now());
            INSERT INTO court_tui.supervisor_notes
                (id, case_id, item_id, note, written_by, written_at, change_seq)
                VALUES (v_id, v_case, v_note->>'item_id', v_text, coalesce(v_name, v_user),
                    v_at, 0);
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (coalesce(p_device, ''), 'note', v_case,
                    coalesce(v_note->>'item_id', '') || ' (written on a laptop)');
            outcome := 'applied';
        END IF;
        IF outcome = 'rejected' THEN
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (coalesce(p_device, ''), 'sync-reject', v_case,
                    format('oversight note %s: %s', v_id, detail));
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION court_tui.push_notes(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION court_tui.push_notes(text, jsonb)
    TO court_tui_officer, court_tui_supervisor;
"""


def upgrade() -> None:
    for script in (INDEXES, PUSH, SUPERVISION, NOTES):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
