"""The change cursor holds when a case handed over from another team changes.

Revision ID: 0006
Revises: 0005

Redefines one function, court_tui.feed_safe_point() (from 0003), and adds one index:

- A reader may see another team's case (a handover, 0004), and a change to that case is
  written under the other team's feed lock. feed_safe_point looked only at the reader's
  own teams' locks, so a pull could pass a lower change number of the handed-over case
  still to be committed by the other team, and that change was never pulled. It now also
  lowers the safe point for the teams of the cases handed to the reader. Other teams'
  writers still never hold back anyone's pull.
- The change that first hands a case over is written under the receiving team's feed
  lock too (push_changes takes it up front, 0005), so the receiving team's readers wait
  for it as for their own team's writers.
- ix_cases_team_change_seq: a team's highest committed change is one index step.

push_changes and pull_changes are not changed here.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None

INDEX = """
CREATE INDEX IF NOT EXISTS ix_cases_team_change_seq ON court_tui.cases (team, change_seq);
"""

# Redefined (0003's feed_safe_point): the teams looked at are the reader's and those of
# the cases handed to the reader; the rest is as it was.
SAFE_POINT = """
CREATE OR REPLACE FUNCTION court_tui.feed_safe_point() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = court_tui, pg_temp AS $$
DECLARE
    v_cap bigint;
    v_team text;
    v_top bigint;
BEGIN
    -- The sequence as it stood before looking at the locks: a writer that takes a number
    -- after this takes a higher one; one that took it before holds its team's lock until
    -- it commits, and is seen below unless it has already committed.
    SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO v_cap
        FROM court_tui.change_seq s;
    -- The reader's teams, '' (reference data), and the teams of the cases handed to the
    -- reader: the writers whose changes the reader may see.
    FOR v_team IN
        SELECT t.team FROM court_tui.staff_teams t WHERE t.login_name = session_user
        UNION SELECT ''
        UNION SELECT c.team FROM court_tui.cases c
            WHERE c.id IN (SELECT court_tui.handed_to_me())
    LOOP
        IF NOT court_tui.feed_busy(v_team) THEN
            CONTINUE;
        END IF;
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
