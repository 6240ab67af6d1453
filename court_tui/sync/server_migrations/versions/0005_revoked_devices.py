"""A lost laptop: an administrator, or a supervisor of the laptop's owner's team, cuts a
laptop off the central store (`revoke_device`); push_changes, push_notes and pull_changes
refuse it from then on, and tell its own login when, by whom and why. Only an
administrator lets it back (`restore_device`). Both are written to the audit log. A login
disabled by `server add-user --disable` is marked on its staff row, so that add-user run
again keeps it disabled.

Revision ID: 0005
Revises: 0004_handover

push_changes, push_notes and pull_changes are their latest definitions (0003; push_notes
0002 with 0003's lock timeout) with one guard added at the top of each, marked
"-- a revoked device is refused". push_changes also takes, up front with the others and
in the same one order, the feed locks of the teams a handover in the call is sent to
(court_tui.receiving_teams): a change that first hands a case over is then never passed
by a pull of the receiving team before it commits (see 0006 for the readers' side).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision: str | None = "0004_handover"
branch_labels = None
depends_on = None

# As in 0003: the functions below are that revision's, copied unchanged but for the guard
# (and push_changes' receiving teams' locks).
LOCK_TIMEOUT = "5s"
MAX_OPS = 500
MAX_REVISION = 1_000_000_000
MAX_CASE_BYTES = 1_000_000  # as 0003: a larger case is refused anyway
MAX_DEVICES = 10
# The SQLSTATE of a revoked device's refusal (court_tui.sync.errors reads it).
DEVICE_REVOKED = "CTR01"
MAX_REASON = 500

TABLES = """
ALTER TABLE court_tui.devices
    ADD COLUMN revoked_at timestamptz,
    ADD COLUMN revoked_by text,
    ADD COLUMN revoked_reason text;
ALTER TABLE court_tui.staff
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN disabled_by text;
"""

REVOCATION = f"""
-- Whether the caller administers the central store: a superuser, or a member of the owner
-- role (as whoever runs `server init` is).
CREATE FUNCTION court_tui.is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
        OR pg_has_role(session_user, 'court_tui_owner', 'MEMBER')
$$;

-- Whether LOGIN and OTHER share a team.
CREATE FUNCTION court_tui.shares_team(p_login text, p_other text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT EXISTS (
        SELECT FROM court_tui.staff_teams mine
        JOIN court_tui.staff_teams theirs ON theirs.team = mine.team
        WHERE mine.login_name = p_login AND theirs.login_name = p_other)
$$;

-- Called first by every function a laptop syncs through. The laptop's own login is told
-- when, by whom and why (the error's DETAIL, as JSON); a login using another's device id
-- learns only that it is cut off.
CREATE FUNCTION court_tui.refuse_revoked_device(p_device text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_device court_tui.devices%ROWTYPE;
BEGIN
    SELECT d.* INTO v_device FROM court_tui.devices d
        WHERE d.device_id = p_device AND d.revoked_at IS NOT NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF v_device.login_name <> session_user THEN
        RAISE EXCEPTION 'this laptop is cut off from the central store'
            USING ERRCODE = '{DEVICE_REVOKED}';
    END IF;
    RAISE EXCEPTION 'this laptop is cut off from the central store'
        USING ERRCODE = '{DEVICE_REVOKED}', DETAIL = jsonb_build_object(
            'device_id', v_device.device_id,
            'revoked_at', to_char(v_device.revoked_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'revoked_by', v_device.revoked_by,
            'revoked_by_name', (SELECT s.display_name FROM court_tui.staff s
                                WHERE s.login_name = v_device.revoked_by),
            'reason', v_device.revoked_reason)::text;
END
$$;

-- The laptop DEVICE (its id, or the first 8 or more characters of it, as the review shows
-- it) among those the caller may act on: every one for an administrator, else the laptops
-- of the people on the caller's teams. Locked until the caller's transaction ends.
CREATE FUNCTION court_tui.device_for_admin(p_device text, p_admin boolean)
RETURNS court_tui.devices
LANGUAGE plpgsql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_id text := btrim(coalesce(p_device, ''));
    v_device court_tui.devices%ROWTYPE;
    v_count integer;
    v_where text := CASE WHEN p_admin THEN 'on the central store'
                         ELSE 'among your teams'' laptops' END;
BEGIN
    IF length(v_id) NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'give the laptop''s device id' USING ERRCODE = 'check_violation';
    END IF;
    SELECT count(*) INTO v_count FROM court_tui.devices d
        WHERE (d.device_id = v_id
               OR (length(v_id) >= 8 AND left(d.device_id, length(v_id)) = v_id))
          AND (p_admin OR court_tui.shares_team(session_user, d.login_name));
    SELECT d.* INTO v_device FROM court_tui.devices d
        WHERE d.device_id = v_id
          AND (p_admin OR court_tui.shares_team(session_user, d.login_name))
        FOR UPDATE;
    IF FOUND THEN
        RETURN v_device;
    END IF;
    IF v_count > 1 THEN
        RAISE EXCEPTION 'more than one laptop''s id starts with %: give more of it', v_id
            USING ERRCODE = 'too_many_rows';
    END IF;
    SELECT d.* INTO v_device FROM court_tui.devices d
        WHERE length(v_id) >= 8 AND left(d.device_id, length(v_id)) = v_id
          AND (p_admin OR court_tui.shares_team(session_user, d.login_name))
        FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no laptop % %', v_id, v_where USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v_device;
END
$$;

-- A laptop as revoke_device and restore_device leave it; ALREADY: it was so before.
CREATE TYPE court_tui.device_state AS (
    device_id text, login_name text, display_name text, revoked_at timestamptz,
    revoked_by text, revoked_reason text, already boolean
);

-- Cut a lost laptop off (P_REVOKE), or let it back. Cutting off: an administrator, or a
-- supervisor of the laptop owner's team; letting back: an administrator only (cutting
-- off is quick, letting back deliberate). A laptop already so stays as it was. Nothing
-- the laptop holds is touched: its kept changes are taken once it is let back.
CREATE FUNCTION court_tui.change_device(p_device text, p_reason text, p_revoke boolean)
RETURNS court_tui.device_state
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = court_tui, pg_temp SET lock_timeout = '{LOCK_TIMEOUT}' AS $$
DECLARE
    v_user text := session_user;
    v_admin boolean := court_tui.is_admin();
    v_reason text := left(btrim(regexp_replace(coalesce(p_reason, ''), '[[:cntrl:]]+', ' ',
        'g')), {MAX_REASON});
    v_why text;
    v_device court_tui.devices%ROWTYPE;
    v_state court_tui.device_state;
BEGIN
    IF p_revoke AND NOT v_admin
            AND NOT pg_has_role(v_user, 'court_tui_supervisor', 'MEMBER') THEN
        RAISE EXCEPTION 'only an administrator or a supervisor can cut off a laptop'
            USING ERRCODE = 'insufficient_privilege';
    ELSIF NOT p_revoke AND NOT v_admin THEN
        RAISE EXCEPTION 'only an administrator can let a laptop back'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    v_device := court_tui.device_for_admin(p_device, v_admin);
    v_state.already := (v_device.revoked_at IS NOT NULL) = p_revoke;
    IF NOT v_state.already THEN
        v_why := coalesce(nullif(v_reason, ''), 'no reason given');
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (v_device.device_id,
                CASE WHEN p_revoke THEN 'device-revoke' ELSE 'device-restore' END,
                CASE WHEN p_revoke
                    THEN format('laptop of %s cut off: %s', v_device.login_name, v_why)
                    ELSE format('laptop of %s let back (cut off %s by %s): %s',
                        v_device.login_name,
                        to_char(v_device.revoked_at AT TIME ZONE 'UTC',
                            'YYYY-MM-DD HH24:MI "UTC"'),
                        v_device.revoked_by, v_why)
                END);
        UPDATE court_tui.devices d SET
                revoked_at = CASE WHEN p_revoke THEN now() END,
                revoked_by = CASE WHEN p_revoke THEN v_user END,
                revoked_reason = CASE WHEN p_revoke THEN v_reason END
            WHERE d.device_id = v_device.device_id
            RETURNING d.* INTO v_device;
    END IF;
    v_state.device_id := v_device.device_id;
    v_state.login_name := v_device.login_name;
    v_state.display_name := (SELECT s.display_name FROM court_tui.staff s
                             WHERE s.login_name = v_device.login_name);
    v_state.revoked_at := v_device.revoked_at;
    v_state.revoked_by := v_device.revoked_by;
    v_state.revoked_reason := v_device.revoked_reason;
    RETURN v_state;
END
$$;

CREATE FUNCTION court_tui.revoke_device(p_device text, p_reason text)
RETURNS SETOF court_tui.device_state
LANGUAGE sql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT * FROM court_tui.change_device(p_device, p_reason, true)
$$;

CREATE FUNCTION court_tui.restore_device(p_device text, p_reason text)
RETURNS SETOF court_tui.device_state
LANGUAGE sql SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT * FROM court_tui.change_device(p_device, p_reason, false)
$$;

-- Each laptop of the people in the caller's teams, as 0001 made it, and whether (and when
-- and by whom) it was cut off.
DROP FUNCTION court_tui.team_devices();
CREATE FUNCTION court_tui.team_devices()
RETURNS TABLE (device_id text, login_name text, display_name text, teams text[],
               first_contact timestamptz, last_contact timestamptz,
               last_push timestamptz, last_pull timestamptz,
               revoked_at timestamptz, revoked_by text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
    SELECT d.device_id, d.login_name, s.display_name,
        ARRAY(SELECT t.team FROM court_tui.staff_teams t
              WHERE t.login_name = d.login_name ORDER BY t.team),
        d.first_contact, d.last_contact, d.last_push, d.last_pull,
        d.revoked_at,
        coalesce((SELECT r.display_name FROM court_tui.staff r
                  WHERE r.login_name = d.revoked_by), d.revoked_by)
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
"""

# The teams a handover in P_OPS is newly sent to: the office team named, and the teams of the
# officer named (their team mates read the case too). A case that is not readable JSON,
# or too large, hands nothing over (push_changes refuses it on its own).
RECEIVING_TEAMS = f"""
CREATE OR REPLACE FUNCTION court_tui.receiving_teams(p_ops jsonb) RETURNS SETOF text
LANGUAGE plpgsql STABLE SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_op jsonb;
    v_doc jsonb;
    v_to text;
    v_team text;
BEGIN
    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        v_doc := NULL;
        IF jsonb_typeof(v_op->'case_json') = 'string'
                AND octet_length(v_op->>'case_json') <= {MAX_CASE_BYTES} THEN
            BEGIN
                v_doc := (v_op->>'case_json')::jsonb -> 'handover';
            EXCEPTION WHEN others THEN
                v_doc := NULL;
            END;
        END IF;
        IF jsonb_typeof(v_doc) = 'object' THEN
            v_to := left(nullif(btrim(v_doc->>'sent_to'), ''), 200);
            v_team := left(nullif(btrim(v_doc->>'sent_to_team'), ''), 200);
            -- sent to the same recipient before: its readers already see the case, and
            -- feed_safe_point (0006) waits for the case's own team's writer
            CONTINUE WHEN EXISTS (
                SELECT FROM court_tui.handovers h WHERE h.case_id = v_op->>'case_id'
                   AND h.sent_to IS NOT DISTINCT FROM v_to
                   AND h.sent_to_team IS NOT DISTINCT FROM v_team);
            RETURN QUERY
                SELECT DISTINCT t.team FROM court_tui.staff_teams t
                WHERE t.team = v_team OR t.login_name = v_to;
        END IF;
    END LOOP;
END
$$;
REVOKE EXECUTE ON FUNCTION court_tui.receiving_teams(jsonb) FROM PUBLIC;
"""

PUSH = f"""
CREATE OR REPLACE FUNCTION court_tui.push_changes(p_device text, p_ops jsonb)
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
    v_team_name text;
    v_owner text;
    v_op jsonb;
    v_seq bigint;
    v_case text;
    v_base integer;
    v_rev integer;
    v_kind text;
    v_json text;
    v_doc jsonb;
    v_md5 text;
    v_team text;
    v_status text;
    v_problem text;
    v_prev court_tui.applied_ops%ROWTYPE;
    v_cur court_tui.cases%ROWTYPE;
    v_found boolean;
    v_open bigint;
    v_outcome text;
    v_blocked text[] := '{{}}';
    v_count integer;
    v_refusal text;
    v_known boolean;
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
    SELECT coalesce(array_agg(t.team ORDER BY t.team), '{{}}') INTO v_teams
        FROM court_tui.staff_teams t WHERE t.login_name = v_user;

    SELECT d.login_name INTO v_owner FROM court_tui.devices d WHERE d.device_id = p_device;
    v_known := FOUND;
    IF v_known AND v_owner <> v_user THEN
        v_refusal := 'This laptop''s device id belongs to another user on the central store.';
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (p_device, 'sync-refused', 'device registered to ' || v_owner);
    ELSIF NOT v_known AND coalesce(length(p_device), 0) NOT BETWEEN 1 AND 100 THEN
        v_refusal := 'This laptop''s device id is not one the central store can keep.';
    ELSIF NOT v_known AND (SELECT count(*) FROM court_tui.devices d
                         WHERE d.login_name = v_user) >= {MAX_DEVICES} THEN
        v_refusal := format('Your login already has %s laptops on the central store; an '
            'administrator can see them with `court-tui server doctor`.', {MAX_DEVICES});
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (p_device, 'sync-refused', 'too many laptops for ' || v_user);
    ELSIF jsonb_array_length(p_ops) > {MAX_OPS} THEN
        v_refusal := format('Too many changes in one call (%s; at most %s).',
            jsonb_array_length(p_ops), {MAX_OPS});
        INSERT INTO court_tui.audit_log (device_id, action, detail)
            VALUES (p_device, 'sync-refused', v_refusal);
    END IF;
    IF v_refusal IS NOT NULL THEN
        FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LIMIT {MAX_OPS} LOOP
            seq := court_tui.json_int(v_op->'seq', 1, 9223372036854775807);
            outcome := 'rejected';
            duplicate := false;
            detail := v_refusal;
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    IF NOT v_known THEN
        INSERT INTO court_tui.devices (device_id, login_name) VALUES (p_device, v_user)
            ON CONFLICT DO NOTHING;
    END IF;
    UPDATE court_tui.devices d SET last_contact = now(), last_push = now()
        WHERE d.device_id = p_device;
    -- The feed locks of the teams this call may write, taken up front in one order so
    -- that two pushes never deadlock; no other team's writers wait for this call.
    FOR v_team_name IN
        SELECT x.team FROM (
            SELECT court_tui.json_team(o.value->'case_json') AS team
                FROM jsonb_array_elements(p_ops) o
            UNION
            SELECT c.team FROM court_tui.cases c
                WHERE c.id IN (SELECT o.value->>'case_id' FROM jsonb_array_elements(p_ops) o)
        ) x
        WHERE x.team = ANY (v_teams)
        -- and the teams its handovers go to, whose readers must wait for this call too
        UNION SELECT court_tui.receiving_teams(p_ops)
        ORDER BY 1
    LOOP
        PERFORM court_tui.lock_feed(v_team_name);
    END LOOP;

    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        v_seq := court_tui.json_int(v_op->'seq', 1, 9223372036854775807);
        v_case := CASE WHEN jsonb_typeof(v_op->'case_id') = 'string'
                       AND length(v_op->>'case_id') BETWEEN 1 AND 100
                       THEN v_op->>'case_id' END;
        v_base := court_tui.json_int(v_op->'base_revision', 0, {MAX_REVISION});
        v_rev := court_tui.json_int(v_op->'revision', 1, {MAX_REVISION});
        v_kind := coalesce(v_op->>'kind', 'edit');
        v_json := CASE WHEN jsonb_typeof(v_op->'case_json') = 'string'
                       THEN v_op->>'case_json' END;
        v_md5 := md5(coalesce(v_json, ''));
        seq := v_seq;
        duplicate := false;
        revision := NULL;
        detail := NULL;
        theirs_revision := NULL;
        theirs_json := NULL;

        IF v_seq IS NULL OR v_case IS NULL THEN
            outcome := 'rejected';
            detail := 'The change has no sequence number or case id the central store can use.';
            RETURN NEXT;
            CONTINUE;
        END IF;

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

        IF v_case = ANY (v_blocked) THEN
            outcome := 'blocked';
            detail := 'Waiting for an earlier change to this case that was not accepted.';
            RETURN NEXT;
            CONTINUE;
        END IF;
        v_problem := NULL;
        IF v_base IS NULL OR v_rev IS NULL THEN
            IF court_tui.json_number(v_op->'revision') > {MAX_REVISION}
                    OR court_tui.json_number(v_op->'base_revision') > {MAX_REVISION} THEN
                v_problem := format('The case''s revision is beyond what the central store '
                    'keeps (at most %s).', {MAX_REVISION});
            ELSE
                v_problem := 'The change has no revision the central store can use.';
            END IF;
        ELSIF v_rev <= v_base THEN
            v_problem := 'The change''s revision is not after the revision it was made on.';
        ELSIF v_json IS NULL OR v_kind NOT IN ('edit', 'keep-mine', 'take-theirs') THEN
            v_problem := 'The change is incomplete, so the central store cannot apply it.';
        ELSE
            v_problem := court_tui.case_problem(v_case, v_rev, v_json);
        END IF;
        IF v_problem IS NOT NULL THEN
            outcome := 'rejected';
            detail := v_problem;
            v_blocked := v_blocked || v_case;
            INSERT INTO court_tui.audit_log (device_id, action, case_id, detail)
                VALUES (p_device, 'sync-reject', v_case,
                    format('change %s: %s', v_seq, left(v_problem, 300)));
            RETURN NEXT;
            CONTINUE;
        END IF;
        v_doc := v_json::jsonb;
        v_team := v_doc->>'team';

        SELECT * INTO v_cur FROM court_tui.cases c WHERE c.id = v_case FOR UPDATE;
        v_found := FOUND;
        IF NOT (v_team = ANY (v_teams)) OR (v_found AND NOT (v_cur.team = ANY (v_teams))) THEN
            outcome := 'rejected';
            IF v_found AND NOT (v_cur.team = ANY (v_teams)) THEN
                detail := 'This case belongs to a team you are not on in the central store.';
            ELSE
                detail := format('You are not on team "%s" in the central store.',
                    left(v_team, 100));
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
            -- The status is the laptop's reading of the case with its forms: kept short.
            v_status := left(coalesce(v_op->'summary'->>'status', ''), 60);
            INSERT INTO court_tui.cases AS c
                (id, revision, created_at, updated_at, officer, team, name, crn, pnc, court,
                 courtroom, hearing_date, status, pending_checks, case_json, change_seq,
                 changed_at, changed_by, changed_by_device, changed_by_seq)
                VALUES (v_case, v_rev,
                    coalesce((v_doc->>'created_at')::timestamptz, now()),
                    coalesce((v_doc->>'updated_at')::timestamptz, now()),
                    coalesce(v_doc->>'officer', ''), v_team,
                    court_tui.answer_text(v_doc, 'name'),
                    upper(court_tui.answer_text(v_doc, 'crn')),
                    upper(court_tui.answer_text(v_doc, 'pnc')),
                    court_tui.answer_text(v_doc, 'court'),
                    court_tui.answer_text(v_doc, 'courtroom'),
                    court_tui.try_date(court_tui.answer_text(v_doc, 'hearing_date')),
                    v_status,
                    (SELECT count(*) FROM jsonb_each(coalesce(v_doc->'checks', '{{}}')) e
                     WHERE e.value->>'requested' = 'yes'
                       AND jsonb_typeof(coalesce(e.value->'received_on', 'null')) = 'null'),
                    v_json, 0, now(), v_user, p_device, v_seq)
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
            -- The rows supervisors read come from the case itself, never from beside it.
            PERFORM court_tui.put_case_rows(v_case, v_doc);
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

NOTES = f"""
CREATE OR REPLACE FUNCTION court_tui.push_notes(p_device text, p_notes jsonb)
RETURNS TABLE (id text, outcome text, detail text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = court_tui, pg_temp SET lock_timeout = '{LOCK_TIMEOUT}' AS $$
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
    -- a revoked device is refused
    PERFORM court_tui.refuse_revoked_device(p_device);
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
"""

PULL = f"""
CREATE OR REPLACE FUNCTION court_tui.pull_changes(p_device text, p_cursor bigint, p_limit integer)
RETURNS SETOF court_tui.change_item
LANGUAGE plpgsql SECURITY INVOKER
SET search_path = court_tui, pg_temp SET lock_timeout = '{LOCK_TIMEOUT}' AS $$
DECLARE
    v_items court_tui.change_item[];
    v_high bigint;
    v_safe bigint := court_tui.feed_safe_point();
    v_limit integer := least(greatest(coalesce(p_limit, 1), 1), 1000);
BEGIN
    -- a revoked device is refused
    PERFORM court_tui.refuse_revoked_device(p_device);
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
        ) AS feed WHERE feed.change_seq <= v_safe ORDER BY feed.change_seq LIMIT v_limit
    ) AS x;
    SELECT greatest(
        (SELECT max(c.change_seq) FROM court_tui.cases c),
        (SELECT max(n.change_seq) FROM court_tui.supervisor_notes n),
        (SELECT max(r.change_seq) FROM court_tui.reference_data r)
    ) INTO v_high;
    PERFORM court_tui.record_pull(p_device,
        ARRAY(SELECT i.key FROM unnest(v_items) i WHERE i.kind = 'case'));
    RETURN QUERY SELECT * FROM unnest(v_items);
    RETURN QUERY SELECT least(coalesce(v_high, 0), v_safe), 'cursor'::text, ''::text,
        NULL::integer, NULL::text, NULL::jsonb;
END
$$;
"""

ACCESS = """
REVOKE EXECUTE ON FUNCTION court_tui.is_admin(), court_tui.shares_team(text, text),
    court_tui.refuse_revoked_device(text), court_tui.device_for_admin(text, boolean),
    court_tui.change_device(text, text, boolean), court_tui.revoke_device(text, text),
    court_tui.restore_device(text, text),
    court_tui.team_devices() FROM PUBLIC;
-- pull_changes runs as the caller, so the caller runs the guard (which runs as the owner).
GRANT EXECUTE ON FUNCTION court_tui.refuse_revoked_device(text)
    TO court_tui_officer, court_tui_supervisor;
-- Both check the caller themselves, and say in words who may.
GRANT EXECUTE ON FUNCTION court_tui.revoke_device(text, text),
    court_tui.restore_device(text, text) TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.team_devices() TO court_tui_supervisor;
"""


def upgrade() -> None:
    for script in (TABLES, REVOCATION, RECEIVING_TEAMS, PUSH, NOTES, PULL, ACCESS):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        op.get_bind().exec_driver_sql(script.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
