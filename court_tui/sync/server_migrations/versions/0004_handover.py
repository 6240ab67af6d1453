"""The handover to a responsible officer on the central store: the case is sent (in the
case's own record, through push_changes), the receiving officer's team may read that case
and nothing else of the sender's team, and the RO accepts it with `accept_handover`.

Revision ID: 0004_handover
Revises: 0003

"""

from __future__ import annotations

from alembic import op

revision = "0004_handover"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

TABLES = """
-- Who each case's handover was sent to, kept from the case's own record by a trigger:
-- the one place row-level security looks to let the receiving team read the case.
CREATE TABLE court_tui.handovers (
    case_id text PRIMARY KEY REFERENCES court_tui.cases (id) ON DELETE CASCADE,
    sent_to text REFERENCES court_tui.staff (login_name) ON DELETE SET NULL,
    sent_to_team text,
    sent_by text NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now(),
    accepted_by text,
    accepted_at timestamptz,
    accepted_revision integer,
    CHECK (sent_to IS NOT NULL OR sent_to_team IS NOT NULL)
);
CREATE INDEX ix_handovers_sent_to ON court_tui.handovers (sent_to);
CREATE INDEX ix_handovers_sent_to_team ON court_tui.handovers (sent_to_team);
ALTER TABLE court_tui.handovers ENABLE ROW LEVEL SECURITY;
"""

TRIGGER = """
-- A case's record names who its handover went to. Only a registered login, or a team
-- someone is on, is kept (anything else would let no one in); a case sent back to no one
-- loses its row, and with it the other team's access.
CREATE FUNCTION court_tui.handover_from_case() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_doc jsonb;
    v_to text;
    v_team text;
BEGIN
    BEGIN
        v_doc := NEW.case_json::jsonb -> 'handover';
    EXCEPTION WHEN others THEN
        v_doc := NULL;
    END;
    IF jsonb_typeof(v_doc) = 'object' THEN
        v_to := left(nullif(btrim(v_doc ->> 'sent_to'), ''), 200);
        v_team := left(nullif(btrim(v_doc ->> 'sent_to_team'), ''), 200);
    END IF;
    -- The same recipient as before (the RO's acceptance, the officer's later edits):
    -- the handover stands as it is.
    IF EXISTS (SELECT FROM court_tui.handovers h WHERE h.case_id = NEW.id
               AND h.sent_to IS NOT DISTINCT FROM v_to
               AND h.sent_to_team IS NOT DISTINCT FROM v_team) THEN
        RETURN NULL;
    END IF;
    IF v_to IS NOT NULL
            AND (NOT EXISTS (SELECT FROM court_tui.staff s WHERE s.login_name = v_to)
                 OR v_to = NEW.changed_by) THEN
        v_to := NULL;
    END IF;
    IF v_team IS NOT NULL
            AND NOT EXISTS (SELECT FROM court_tui.staff_teams t WHERE t.team = v_team) THEN
        v_team := NULL;
    END IF;
    IF v_to IS NULL AND v_team IS NULL THEN
        DELETE FROM court_tui.handovers h WHERE h.case_id = NEW.id;
        RETURN NULL;
    END IF;
    INSERT INTO court_tui.handovers AS h (case_id, sent_to, sent_to_team, sent_by)
        VALUES (NEW.id, v_to, v_team, NEW.changed_by)
        ON CONFLICT (case_id) DO UPDATE SET
            sent_to = EXCLUDED.sent_to, sent_to_team = EXCLUDED.sent_to_team,
            sent_by = EXCLUDED.sent_by, sent_at = now(),
            accepted_by = NULL, accepted_at = NULL, accepted_revision = NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER handover_from_case AFTER INSERT OR UPDATE OF case_json ON court_tui.cases
    FOR EACH ROW EXECUTE FUNCTION court_tui.handover_from_case();

-- The cases handed to the caller: sent to them, to a team they are on, or to an officer
-- on one of their teams (the receiving team reads the case, as the sending team does).
CREATE FUNCTION court_tui.handed_to_me() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT h.case_id FROM court_tui.handovers h
    WHERE h.sent_to = session_user
       OR h.sent_to_team IN (SELECT t.team FROM court_tui.staff_teams t
                             WHERE t.login_name = session_user)
       OR h.sent_to IN (SELECT theirs.login_name FROM court_tui.staff_teams theirs
                        JOIN court_tui.staff_teams mine ON mine.team = theirs.team
                        WHERE mine.login_name = session_user)
$$;
"""

ACCEPT = """
-- The RO's acceptance: only the officer the case was sent to (or one of the team it was
-- sent to), never the one who sent it or wrote it, and only of the revision they read.
-- The items they acknowledged go in the case's record, where the one rule for "handed
-- over" (court_tui.domain.handed_over) checks each against what it now says.
CREATE FUNCTION court_tui.accept_handover(p_case_id text, p_revision integer,
                                          p_acknowledged jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_user text := session_user;
    v_name text;
    v_case court_tui.cases%ROWTYPE;
    v_handover court_tui.handovers%ROWTYPE;
    v_doc jsonb;
    v_now timestamptz := now();
BEGIN
    IF jsonb_typeof(p_acknowledged) IS DISTINCT FROM 'array'
            OR jsonb_array_length(p_acknowledged) = 0
            OR jsonb_array_length(p_acknowledged) > 1000
            OR EXISTS (SELECT FROM jsonb_array_elements(p_acknowledged) e(v)
                       WHERE jsonb_typeof(e.v) <> 'string' OR length(e.v #>> '{}') > 300) THEN
        RAISE EXCEPTION 'acknowledge every must-read item before you accept'
            USING ERRCODE = 'check_violation';
    END IF;
    -- The case's team's feed lock first (as push_changes takes it, so the two never wait
    -- on each other the other way round), then the case itself.
    PERFORM court_tui.lock_feed(coalesce(
        (SELECT c.team FROM court_tui.cases c
         WHERE c.id = p_case_id AND c.id IN (SELECT court_tui.handed_to_me())), ''));
    SELECT c.* INTO v_case FROM court_tui.cases c
        WHERE c.id = p_case_id AND c.id IN (SELECT court_tui.handed_to_me())
        FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no handover of case % to you', p_case_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT h.* INTO v_handover FROM court_tui.handovers h WHERE h.case_id = p_case_id;
    SELECT s.display_name INTO v_name FROM court_tui.staff s WHERE s.login_name = v_user;
    IF v_handover.sent_by = v_user OR v_case.officer IN (v_user, coalesce(v_name, v_user)) THEN
        RAISE EXCEPTION 'you wrote this case: the responsible officer it was sent to accepts it'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_handover.sent_to IS NOT NULL AND v_handover.sent_to_team IS NULL
            AND v_handover.sent_to <> v_user THEN
        RAISE EXCEPTION 'the handover was sent to %: only they can accept it',
            v_handover.sent_to USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_case.revision <> p_revision THEN
        RAISE EXCEPTION 'the case has changed since you read it (revision % now, you read %)',
            v_case.revision, p_revision USING ERRCODE = 'serialization_failure';
    END IF;
    v_doc := v_case.case_json::jsonb;
    v_doc := v_doc || jsonb_build_object(
        'handover', coalesce(v_doc->'handover', '{}'::jsonb) || jsonb_build_object(
            'acknowledged', p_acknowledged,
            'accepted_by', v_user,
            'accepted_at', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
        'revision', v_case.revision + 1,
        'updated_at', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    UPDATE court_tui.cases c SET revision = v_case.revision + 1, updated_at = v_now,
            case_json = v_doc::text, changed_at = v_now, changed_by = v_user,
            changed_by_device = '', changed_by_seq = 0
        WHERE c.id = p_case_id;
    UPDATE court_tui.handovers h SET accepted_by = v_user, accepted_at = v_now,
            accepted_revision = v_case.revision + 1
        WHERE h.case_id = p_case_id;
    INSERT INTO court_tui.audit_log (action, case_id, detail)
        VALUES ('handover-accept', p_case_id, format('accepted by %s; revision %s to %s',
            v_user, v_case.revision, v_case.revision + 1));
    RETURN v_case.revision + 1;
END
$$;

REVOKE EXECUTE ON FUNCTION court_tui.accept_handover(text, integer, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION court_tui.handed_to_me() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION court_tui.handover_from_case() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION court_tui.accept_handover(text, integer, jsonb),
    court_tui.handed_to_me() TO court_tui_officer, court_tui_supervisor;
"""

ACCESS = """
-- The receiving team reads the case handed to it (and, through the cases policy, its
-- answers, checks and follow-ups), and nothing else of the sending team: the oversight
-- notes, conflicts and audit rows stay with the case's own team.
CREATE POLICY handed_over_cases ON court_tui.cases FOR SELECT
    TO court_tui_officer, court_tui_supervisor
    USING (id IN (SELECT court_tui.handed_to_me()));
ALTER POLICY team_cases ON court_tui.supervisor_notes
    USING (case_id IN (SELECT c.id FROM court_tui.cases c
                       WHERE c.team IN (SELECT t.team FROM court_tui.staff_teams t
                                        WHERE t.login_name = current_user)));
ALTER POLICY team_cases ON court_tui.conflicts
    USING (case_id IN (SELECT c.id FROM court_tui.cases c
                       WHERE c.team IN (SELECT t.team FROM court_tui.staff_teams t
                                        WHERE t.login_name = current_user)));
ALTER POLICY team_cases ON court_tui.audit_log
    USING (case_id IN (SELECT c.id FROM court_tui.cases c
                       WHERE c.team IN (SELECT t.team FROM court_tui.staff_teams t
                                        WHERE t.login_name = current_user)));
"""


def upgrade() -> None:
    for script in (TABLES, TRIGGER, ACCEPT, ACCESS):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
