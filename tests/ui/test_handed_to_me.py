"""'Handed to me' on the responsible officer's laptop, by keys at 80x24, against a real
PostgreSQL central store: amy (Team A) sends a case to bob (Team B); bob's laptop syncs,
lists it, cannot accept before acknowledging every item, then accepts; amy's laptop sees
the acceptance after its sync."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from support.waiting import palette_lists
from textual.pilot import Pilot
from ui_helpers import PASSPHRASE, screen_text, settle, type_text

from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.forms import load_forms
from court_tui.domain.handover import send_handover
from court_tui.domain.settings import SERVER_ENV, SYNC_SERVER
from court_tui.resources import data_dir
from court_tui.store import open_store
from court_tui.sync import RetryPolicy, sync_with_server
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend, Profile
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.handed_to_me import HandedToMeScreen
from court_tui.ui.screens.handover import HandoverScreen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))

from sync_helpers import Central  # noqa: E402

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.postgres,
    pytest.mark.usefixtures("quick_key_derivation"),
]

QUICK = RetryPolicy(attempts=1, first_wait=0, max_wait=0)
SIZE = (80, 24)
AMY = Profile(officer="Amy Shaw", team="Team A", court="Leeds Magistrates' Court")
BOB = Profile(officer="Bob Brown", team="Team B", court="Bradford Magistrates' Court")


@pytest.fixture(autouse=True)
def no_server_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SERVER_ENV.name, raising=False)


def laptop(path: Path, profile: Profile, server: str) -> None:
    backend = Backend(path)
    backend.create(PASSPHRASE, profile)
    backend.put_setting(SYNC_SERVER.key, server)
    backend.close()


async def palette(pilot: Pilot[None], command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, command)
    await palette_lists(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)


async def test_bob_reads_every_item_then_accepts_what_amy_sent(
    central: Central, tmp_path: Path
) -> None:
    central.add("amy", "Team A")
    central.add("bob", "Team B")
    forms = load_forms()
    amy_path, bob_path = tmp_path / "amy.db", tmp_path / "bob.db"
    laptop(amy_path, AMY, central.url("amy"))
    laptop(bob_path, BOB, central.url("bob"))
    demo = loads((data_dir() / "demo" / "complete-crc.json").read_text("utf-8"), forms)
    record = CaseRecord(
        officer=AMY.officer, team=AMY.team, answers=demo.answers, checks=demo.checks
    )
    with open_store(amy_path, PASSPHRASE) as amy:
        saved = amy.repository.save_case(record, actor="amy")
        sent = send_handover(
            saved, assess(saved, forms, date.today()), to="bob", by="amy", at=datetime.now(UTC)
        )
        amy.repository.save_case(sent, actor="amy")
        assert sync_with_server(amy, central.url("amy")).ok
    with open_store(bob_path, PASSPHRASE) as bob:
        assert sync_with_server(bob, central.url("bob")).ok

    app = CourtApp(Backend(bob_path, sync_retry=QUICK), passphrase=PASSPHRASE, sync_minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Handed to me")
        assert isinstance(app.screen, HandedToMeScreen)
        text = screen_text(app)
        assert "1 case handed to you" in text
        assert "Not yet accepted" in text and "amy" in text
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert "Read before you accept this case" in screen_text(app)
        assert not screen.check_action("accept", ())  # nothing acknowledged yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        for _ in screen.items()[:-1]:
            await pilot.press("space")
        await settle(pilot)
        assert not screen.check_action("accept", ())  # one item still unread
        await pilot.press("space")
        await settle(pilot)
        assert screen.check_action("accept", ())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        assert "Handover accepted" in screen_text(app)
        assert "Accepted by bob" in screen_text(app)
        await pilot.press("ctrl+q")

    assert central.scalar("SELECT accepted_by FROM court_tui.handovers") == "bob"
    with open_store(amy_path, PASSPHRASE) as amy:
        assert sync_with_server(amy, central.url("amy")).ok
        on_amy = amy.repository.get_case(saved.id, actor="amy")
    assert on_amy.handover.accepted_by == "bob"
