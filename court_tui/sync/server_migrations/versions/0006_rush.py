"""The change cursor holds when a case handed over from another team changes.

Revision ID: 0006
Revises: 0004_handover

Redefines one function, court_tui.feed_safe_point() (from 0003), and adds one index:

- A reader may see another team's case (a handover, 0004), and the change that hands it
  over is written under the other team's feed lock. feed_safe_point looked only at the
  reader's own teams' locks, so a pull could pass a lower change number still to be
  committed by the other team, and that change was never pulled. It now lowers the safe
  point for every team whose feed lock another session holds, whoever reads.
- ix_cases_team_change_seq: each such team's highest committed change is one index step.

push_changes and pull_changes are not changed here.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision: str | None = "0004_handover"
branch_labels = None
depends_on = None

# As in 0003: pg_advisory_xact_lock(FEED_NAMESPACE, court_tui.feed_key(team)).
FEED_NAMESPACE = 73_052_026

INDEX = """
CREATE INDEX IF NOT EXISTS ix_cases_team_change_seq ON court_tui.cases (team, change_seq);
"""

# Redefined (0003's feed_safe_point): the teams looked at are every team whose writer is
# at work, not only the reader's; the rest is as it was.
SAFE_POINT = f"""
CREATE OR REPLACE FUNCTION court_tui.feed_safe_point() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_cap bigint;
    v_busy oid[];
    v_team text;
    v_top bigint;
BEGIN
    -- The sequence as it stood before looking at the locks: a writer that takes a number
    -- after this takes a higher one; one that took it before holds its team's lock until
    -- it commits, and is seen below unless it has already committed.
    SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO v_cap
        FROM court_tui.change_seq s;
    SELECT array_agg(l.objid) INTO v_busy
        FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
          AND l.database = (SELECT d.oid FROM pg_database d
                            WHERE d.datname = current_database())
          AND l.classid = {FEED_NAMESPACE}::oid AND l.objsubid = 2;
    IF v_busy IS NULL THEN
        RETURN v_cap;
    END IF;
    -- Every team a writer can lock: a team someone is on, the team of a case handed
    -- over (its acceptance locks it), and '' for reference data.
    FOR v_team IN
        SELECT x.team FROM (
            SELECT t.team FROM court_tui.staff_teams t
            UNION SELECT c.team FROM court_tui.handovers h
                JOIN court_tui.cases c ON c.id = h.case_id
            UNION SELECT ''
        ) x
        WHERE ((court_tui.feed_key(x.team)::bigint + 4294967296) % 4294967296)::oid
              = ANY (v_busy)
    LOOP
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
    END LOOP;
    RETURN v_cap;
END
$$;
"""


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql(INDEX)
    conn.exec_driver_sql(SAFE_POINT.replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("the central store is never downgraded; restore a backup")
