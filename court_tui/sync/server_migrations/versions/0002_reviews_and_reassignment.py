"""Supervisors' laptops send their changes and oversight notes; supervisors reassign
follow-ups on the central store, and their reads are written to its audit log; indexes
for the review's "Received in the last seven days" tab.

Revision ID: 0002
Revises: 0001

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

# A supervisor (a senior probation officer) is an officer too: their laptop sends its
# changes through push_changes, held to their teams as any officer's is, so that a
# follow-up reassigned on it, or a case of their own, reaches the central store. The
# officer group's only privilege a supervisor lacked was calling push_changes. Role
# membership belongs to the cluster, so it is granted as the administrator running
# `server init`, not as the schema's owner.
SUPERVISORS_SEND_CHANGES = """
RESET ROLE;
GRANT court_tui_officer TO court_tui_supervisor;
SET LOCAL ROLE court_tui_owner;
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
    for script in (INDEXES, SUPERVISORS_SEND_CHANGES, SUPERVISION, NOTES):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
