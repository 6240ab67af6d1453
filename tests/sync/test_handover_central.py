"""The handover between two laptops through the real central store: officer amy (Team A)
sends a case to RO bob (Team B); bob's laptop syncs, reads every must-read item and
accepts; amy's laptop sees the acceptance; a corrected RSR on amy's side reopens it on
bob's. Row-level security lets Team B read that case, and nothing else of Team A's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sync_helpers import Central, PostgresServer, new_central, open_laptop

from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import HandoverStage, handover_state
from court_tui.domain.handover import (
    HandoverError,
    accept_handover,
    acknowledge,
    must_read_items,
    send_handover,
)
from court_tui.domain.status import case_status
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, sync_once
from court_tui.sync.handover import HandoverRefused, accept_on_central, handed_to_me

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1)
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TODAY = date(2026, 3, 2)


def amy_case(forms: FormSet, name: str) -> CaseRecord:
    record = loads((DEMO / "complete-crc.json").read_text(encoding="utf-8"), forms)
    fresh = CaseRecord(
        team="Team A", officer="Amy Shaw", answers=record.answers, checks=record.checks
    )
    return fresh.model_copy(update={"answers": {**fresh.answers, "name": name}})


def sync(laptop: Store, central: Central, login: str) -> None:
    report = sync_once(laptop, central.transport(login), retry=NO_WAIT)
    assert report.ok, report.lines()


def read_all(record: CaseRecord, forms: FormSet) -> CaseRecord:
    for item in must_read_items(record, forms):
        record = acknowledge(record, item)
    return record


def visible_names(central: Central, login: str) -> set[str]:
    with central.connect(login) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM court_tui.cases")}


@pytest.fixture
def handover_central(pg_server: PostgresServer) -> Central:
    central = new_central(pg_server)
    central.add("amy", "Team A")
    central.add("ann", "Team A")
    central.add("bob", "Team B")
    central.add("ben", "Team B")
    central.add("cat", "Team C")
    central.add("sue", "Team A", role="supervisor")
    return central


def test_a_handover_from_amy_to_bob_through_the_central_store(
    handover_central: Central, tmp_path: Path, forms: FormSet
) -> None:
    central = handover_central
    with (
        open_laptop(tmp_path / "amy.db", forms) as amy,
        open_laptop(tmp_path / "bob.db", forms) as bob,
    ):
        handed = amy.repository.save_case(amy_case(forms, "Handed Case"), actor="amy")
        amy.repository.save_case(amy_case(forms, "Other Case"), actor="amy")
        sent = send_handover(
            handed, assess(handed, forms, TODAY), to="bob", by="amy", at=datetime.now(UTC)
        )
        # amy cannot accept her own handover, here or on the central store.
        with pytest.raises(HandoverError, match="You wrote this case"):
            accept_handover(
                read_all(sent, forms), forms, assess(sent, forms, TODAY), "amy", datetime.now(UTC)
            )
        amy.repository.save_case(sent, actor="amy")
        sync(amy, central, "amy")
        with pytest.raises(HandoverRefused, match="no handover of case .* to you"):
            accept_on_central(central.url("amy"), read_all(sent, forms))

        # Team B reads the case handed to bob, and no other of Team A's; Team C nothing.
        assert visible_names(central, "bob") == {"Handed Case"}
        assert visible_names(central, "ben") == {"Handed Case"}
        assert visible_names(central, "cat") == set()
        assert visible_names(central, "ann") == {"Handed Case", "Other Case"}
        with central.connect("sue") as conn:
            conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'Chase')", [handed.id])
        with central.connect("ben") as conn:
            notes = conn.execute("SELECT count(*) FROM court_tui.supervisor_notes").fetchone()
        assert notes == (0,)  # the sending team's oversight stays with it

        # bob's laptop syncs and lists it under "Handed to me".
        sync(bob, central, "bob")
        listed = handed_to_me(bob, "bob")
        assert [(h.name, h.sent_by, h.accepted) for h in listed] == [
            ("Handed Case (X123456)", "amy", False)
        ]
        on_bob = bob.repository.get_case(handed.id, actor="bob")
        # Not before every item is acknowledged: the domain refuses, and so does the server.
        with pytest.raises(HandoverError, match="Read and acknowledge every item"):
            accept_handover(on_bob, forms, assess(on_bob, forms, TODAY), "bob", datetime.now(UTC))
        with pytest.raises(HandoverRefused, match="acknowledge every must-read item"):
            accept_on_central(central.url("bob"), on_bob)
        # cat was not sent it.
        with pytest.raises(HandoverRefused, match="no handover of case"):
            accept_on_central(central.url("cat"), read_all(on_bob, forms))

        read = read_all(on_bob, forms)
        accept_handover(read, forms, assess(read, forms, TODAY), "bob", datetime.now(UTC))
        accept_on_central(central.url("bob"), read)
        sync(bob, central, "bob")
        assert handed_to_me(bob, "bob")[0].accepted

        # amy's laptop shows it accepted, and handed over.
        sync(amy, central, "amy")
        on_amy = amy.repository.get_case(handed.id, actor="amy")
        assert on_amy.handover.accepted_by == "bob"
        assert handover_state(on_amy, forms, TODAY).handed_over
        assert case_status(on_amy, forms, TODAY) == "Completed"

        # amy corrects the RSR: on bob's laptop the handover is open again, saying why.
        on_amy.answers["rsr_score"] = "2.5"
        amy.repository.save_case(on_amy, actor="amy")
        sync(amy, central, "amy")
        sync(bob, central, "bob")
        again = bob.repository.get_case(handed.id, actor="bob")
        state = handover_state(again, forms, TODAY)
        assert state.stage is HandoverStage.REOPENED
        assert state.reasons == ("'RSR score' has changed since it was read",)
        assert case_status(again, forms, TODAY) != "Completed"
