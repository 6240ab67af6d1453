"""No bad case, login or laptop can stall or wedge anyone else's sync.

Revision ID: 0003
Revises: 0002

- The change feed's lock is per team, not one for the whole store: a login that holds a
  transaction open holds back only its own team's writers (until its lock timeout), and
  a pull never waits for a lock at all. A pull stops short of any change a writer of the
  reader's teams may still commit, so its cursor never passes one (feed_safe_point).
- push_changes checks every change where it enters: numbers within bounds (a revision
  the central column cannot hold is refused with a reason, never an overflow that fails
  the whole call), at most MAX_OPS changes a call, cases of at most MAX_CASE_BYTES, the
  case JSON itself readable (its id, revision and team those of the change). The rows
  supervisors read (summary, answers, checks, follow-ups) are derived from that JSON;
  whatever the laptop sends beside it is ignored.
- At most MAX_DEVICES laptops a login.
- Follow-up ids are scoped to their case: two teams' cases may share one.
- Lock and statement timeouts on the functions, and on every court-tui login (also set
  for logins made later by `server add-user`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

# pg_advisory_xact_lock(FEED_NAMESPACE, hashtext(team)): one writer of a team's part of
# the change feed at a time. Reference data, which is everyone's, is the team ''.
FEED_NAMESPACE = 73_052_026
MAX_OPS = 500
MAX_CASE_BYTES = 1_000_000
MAX_REVISION = 1_000_000_000
MAX_DEVICES = 10
MAX_ITEMS = 2_000
LOCK_TIMEOUT = "5s"
STATEMENT_TIMEOUT = "60s"
IDLE_IN_TRANSACTION_TIMEOUT = "30s"

FOLLOW_UP_IDS = """
ALTER TABLE court_tui.follow_ups DROP CONSTRAINT follow_ups_pkey;
ALTER TABLE court_tui.follow_ups ADD PRIMARY KEY (case_id, id);
"""

FEED = f"""
CREATE FUNCTION court_tui.feed_key(p_team text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT hashtext(coalesce(p_team, '')) $$;

CREATE FUNCTION court_tui.lock_feed(p_team text) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock({FEED_NAMESPACE}, court_tui.feed_key(p_team))
$$;

-- Whether another session holds TEAM's feed lock (may still commit a change of TEAM).
CREATE FUNCTION court_tui.feed_busy(p_team text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
          AND l.database = (SELECT d.oid FROM pg_database d
                            WHERE d.datname = current_database())
          AND l.classid = {FEED_NAMESPACE}::oid AND l.objsubid = 2
          AND l.objid = ((court_tui.feed_key(p_team)::bigint + 4294967296) % 4294967296)::oid)
$$;

-- The writer of a row takes its team's lock, then its change number, and holds the lock
-- until it commits; so within a team, numbers become visible in order.
CREATE OR REPLACE FUNCTION court_tui.feed_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_team text := '';
BEGIN
    IF TG_TABLE_NAME = 'cases' THEN
        v_team := NEW.team;
    ELSIF TG_TABLE_NAME = 'supervisor_notes' THEN
        SELECT c.team INTO v_team FROM court_tui.cases c WHERE c.id = NEW.case_id;
    END IF;
    PERFORM court_tui.lock_feed(coalesce(v_team, ''));
    NEW.change_seq := nextval('court_tui.change_seq');
    RETURN NEW;
END
$$;

-- The highest change number a reader may pass: the sequence as it stood before looking,
-- lowered, for each of the reader's teams whose writer is still at work, to that team's
-- highest committed change (the writer's own number is above it).
CREATE FUNCTION court_tui.feed_safe_point() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_cap bigint;
    v_team text;
    v_top bigint;
BEGIN
    SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO v_cap
        FROM court_tui.change_seq s;
    FOR v_team IN
        SELECT t.team FROM court_tui.staff_teams t WHERE t.login_name = session_user
        UNION SELECT ''
    LOOP
        IF court_tui.feed_busy(v_team) THEN
            IF v_team = '' THEN
                SELECT max(r.change_seq) INTO v_top FROM court_tui.reference_data r;
            ELSE
                SELECT greatest(
                    (SELECT max(c.change_seq) FROM court_tui.cases c WHERE c.team = v_team),
                    (SELECT max(n.change_seq) FROM court_tui.supervisor_notes n
                        JOIN court_tui.cases c ON c.id = n.case_id WHERE c.team = v_team)
                ) INTO v_top;
            END IF;
            v_cap := least(v_cap, coalesce(v_top, 0));
        END IF;
    END LOOP;
    RETURN v_cap;
END
$$;
"""

CHECKS = f"""
-- P as a whole number within LO..HI, or NULL (never an error, whatever P holds).
CREATE FUNCTION court_tui.json_int(p jsonb, p_lo numeric, p_hi numeric) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v numeric;
BEGIN
    IF p IS NULL OR jsonb_typeof(p) <> 'number' THEN
        RETURN NULL;
    END IF;
    v := p::text::numeric;
    IF v <> trunc(v) OR v < p_lo OR v > p_hi THEN
        RETURN NULL;
    END IF;
    RETURN v::bigint;
END
$$;

CREATE FUNCTION court_tui.json_number(p jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p) = 'number' THEN p::text::numeric END
$$;

-- The team a change's case JSON names, or NULL (never an error, whatever it holds).
CREATE FUNCTION court_tui.json_team(p jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(p) IS DISTINCT FROM 'string'
            OR octet_length(p #>> '{{}}') > {MAX_CASE_BYTES} THEN
        RETURN NULL;
    END IF;
    RETURN (p #>> '{{}}')::jsonb->>'team';
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION court_tui.try_date(p text) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p IS NULL OR p !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$' THEN
        RETURN NULL;
    END IF;
    RETURN p::date;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- What is wrong with a case's JSON as a change brings it (NULL when nothing is): it must
-- be a case object whose id, revision and team are the change's, of bounded size, with
-- answers, checks and follow-ups of the shapes every laptop reads. The laptops read it
-- with the domain model and set aside what still fails there.
CREATE FUNCTION court_tui.case_problem(p_case text, p_rev bigint, p_json text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_doc jsonb;
    v_item jsonb;
    v_ids text[] := '{{}}';
BEGIN
    IF octet_length(p_json) > {MAX_CASE_BYTES} THEN
        RETURN format('The case is too large for the central store (%s bytes; at most %s).',
            octet_length(p_json), {MAX_CASE_BYTES});
    END IF;
    BEGIN
        v_doc := p_json::jsonb;
    EXCEPTION WHEN others THEN
        RETURN 'The case is not readable JSON.';
    END;
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

-- The case's answers as the laptops' store writes them: JSON text, 'not known' flagged.
CREATE FUNCTION court_tui.put_case_rows(p_case text, p_doc jsonb) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM court_tui.answers a WHERE a.case_id = p_case;
    DELETE FROM court_tui.checks k WHERE k.case_id = p_case;
    DELETE FROM court_tui.follow_ups f WHERE f.case_id = p_case;
    INSERT INTO court_tui.answers (case_id, question, value, not_known)
        SELECT p_case, e.key, e.value::text,
            jsonb_typeof(e.value) = 'object' AND e.value->'not_known' = 'true'::jsonb
        FROM jsonb_each(coalesce(p_doc->'answers', '{{}}')) e
        WHERE jsonb_typeof(e.value) <> 'null';
    INSERT INTO court_tui.checks
        (case_id, kind, requested, not_requested_reason, agency, requested_on, reference,
         expected_by, received_on, result, how_checked, summary, reported_to_court, status)
        SELECT p_case, e.key, r.requested, r.not_requested_reason, r.agency, r.requested_on,
            r.reference, r.expected_by, r.received_on, r.result, r.how_checked, r.summary,
            r.reported_to_court,
            CASE WHEN r.requested = 'no' THEN 'Not requested'
                 WHEN r.requested IS DISTINCT FROM 'yes' THEN 'Not recorded'
                 WHEN r.received_on IS NULL THEN 'Outstanding'
                 ELSE 'Received' END
        FROM jsonb_each(coalesce(p_doc->'checks', '{{}}')) e,
            jsonb_populate_record(NULL::court_tui.checks, e.value) r;
    INSERT INTO court_tui.follow_ups
        (id, case_id, question, owner, action, due, recorded_on, recorded_by, closed_on,
         closed_by, answer, reviewed_by, review_note)
        SELECT e.f->>'id', p_case, e.f->>'question', coalesce(e.f->>'owner', ''),
            coalesce(e.f->>'action', ''), (e.f->>'due')::date,
            coalesce((e.f->>'recorded_on')::date, current_date),
            coalesce(e.f->>'recorded_by', ''), (e.f->>'closed_on')::date, e.f->>'closed_by',
            CASE WHEN jsonb_typeof(e.f->'answer') IN ('null') OR e.f->'answer' IS NULL
                 THEN NULL ELSE (e.f->'answer')::text END,
            e.f->>'reviewed_by', e.f->>'review_note'
        FROM jsonb_array_elements(coalesce(p_doc->'follow_ups', '[]')) AS e(f);
$$;

-- A case's answer as text, trimmed, for the summary columns ('' when not text).
CREATE FUNCTION court_tui.answer_text(p_doc jsonb, p_question text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p_doc->'answers'->p_question) = 'string'
                THEN btrim(p_doc->'answers'->>p_question) ELSE '' END
$$;
"""

PUSH = f"""
DROP FUNCTION court_tui.push_changes(text, jsonb);
CREATE FUNCTION court_tui.push_changes(p_device text, p_ops jsonb)
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
        SELECT DISTINCT x.team FROM (
            SELECT court_tui.json_team(o.value->'case_json') AS team
                FROM jsonb_array_elements(p_ops) o
            UNION
            SELECT c.team FROM court_tui.cases c
                WHERE c.id IN (SELECT o.value->>'case_id' FROM jsonb_array_elements(p_ops) o)
        ) x
        WHERE x.team = ANY (v_teams) ORDER BY x.team
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
GRANT EXECUTE ON FUNCTION court_tui.push_changes(text, jsonb) TO court_tui_officer;
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

CREATE OR REPLACE FUNCTION court_tui.record_pull(p_device text, p_case_ids text[]) RETURNS void
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
        IF coalesce(length(p_device), 0) NOT BETWEEN 1 AND 100 THEN
            RAISE EXCEPTION 'this laptop''s device id is not one the central store can keep'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (SELECT count(*) FROM court_tui.devices d
            WHERE d.login_name = session_user) >= {MAX_DEVICES} THEN
            RAISE EXCEPTION 'your login already has % laptops on the central store', {MAX_DEVICES}
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO court_tui.devices (device_id, login_name) VALUES (p_device, session_user)
            ON CONFLICT DO NOTHING;
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


def _reassign_without_global_lock(conn: sa.Connection) -> None:
    """reassign_follow_up as 0002 made it, taking the case's team's feed lock (before the
    case's row, in the order push_changes takes them) instead of the store-wide one."""
    body = conn.exec_driver_sql(
        "SELECT pg_get_functiondef('court_tui.reassign_follow_up(text, text, text)'::regprocedure)"
    ).scalar_one()
    team_lock = (
        "PERFORM court_tui.lock_feed((SELECT c.team FROM court_tui.cases c "
        "WHERE c.id = p_case_id));"
    )
    new_body = str(body).replace("PERFORM pg_advisory_xact_lock(7305202601);", team_lock, 1)
    conn.exec_driver_sql(new_body.replace("%", "%%"))
    conn.exec_driver_sql(
        f"ALTER FUNCTION court_tui.reassign_follow_up(text, text, text) "
        f"SET lock_timeout = '{LOCK_TIMEOUT}'"
    )


# The timeouts for every court-tui login: a transaction left open is ended, a statement
# or a lock wait that runs on is stopped. Role settings are not inherited from the group
# roles, so each login gets them (add_user does the same for logins made later).
LOGIN_TIMEOUTS = f"""
DO $timeouts$
DECLARE
    v_login text;
BEGIN
    FOR v_login IN
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolcanlogin AND NOT r.rolsuper
          AND (pg_has_role(r.rolname, 'court_tui_officer', 'MEMBER')
               OR pg_has_role(r.rolname, 'court_tui_supervisor', 'MEMBER'))
    LOOP
        EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', v_login,
            '{STATEMENT_TIMEOUT}');
        EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', v_login, '{LOCK_TIMEOUT}');
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', v_login,
            '{IDLE_IN_TRANSACTION_TIMEOUT}');
    END LOOP;
END
$timeouts$;
"""

FUNCTION_TIMEOUTS = f"""
ALTER FUNCTION court_tui.push_notes(text, jsonb) SET lock_timeout = '{LOCK_TIMEOUT}';
ALTER FUNCTION court_tui.add_supervisor_note(text, text, text)
    SET lock_timeout = '{LOCK_TIMEOUT}';
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA court_tui FROM PUBLIC;
GRANT EXECUTE ON FUNCTION court_tui.push_changes(text, jsonb) TO court_tui_officer;
GRANT EXECUTE ON FUNCTION court_tui.pull_changes(text, bigint, integer),
    court_tui.record_pull(text, text[]), court_tui.feed_safe_point()
    TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.push_notes(text, jsonb)
    TO court_tui_officer, court_tui_supervisor;
GRANT EXECUTE ON FUNCTION court_tui.add_supervisor_note(text, text, text),
    court_tui.team_devices(), court_tui.reassign_follow_up(text, text, text),
    court_tui.record_review_access(text, text[], text) TO court_tui_supervisor;
"""


def upgrade() -> None:
    conn = op.get_bind()
    for script in (FOLLOW_UP_IDS, FEED, CHECKS, PUSH, PULL):
        # The driver reads % as a placeholder; the functions' format() strings need it.
        conn.exec_driver_sql(script.replace("%", "%%"))
    _reassign_without_global_lock(conn)
    conn.exec_driver_sql(FUNCTION_TIMEOUTS)
    conn.exec_driver_sql("RESET ROLE")
    conn.exec_driver_sql(LOGIN_TIMEOUTS.replace("%", "%%"))
    conn.exec_driver_sql("SET LOCAL ROLE court_tui_owner")


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
