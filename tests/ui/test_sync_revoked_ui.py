"""A laptop cut off the central store, in the officer's app at 80x24: 'Sync now' says in
words when, by whom and why, and the unsynced change stays on the laptop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.central import Central
from test_sync_ui import LOGIN, NAME, app_on, change_the_name, make_laptop, palette, status
from ui_helpers import OFFICER, PASSPHRASE

from court_tui.domain.settings import SERVER_ENV
from court_tui.store import open_store
from court_tui.sync import sync_with_server
from court_tui.sync.server import revoke_device

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.postgres,
    pytest.mark.usefixtures("quick_key_derivation"),
]


@pytest.fixture(autouse=True)
def no_server_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SERVER_ENV.name, raising=False)


async def test_sync_now_on_a_cut_off_laptop_says_so_and_keeps_the_change(
    tmp_path: Path, central: Central
) -> None:
    central.add(LOGIN, OFFICER.team)
    path = tmp_path / "cases.db"
    saved = make_laptop(path, central.url(LOGIN))
    with open_store(path, PASSPHRASE) as store:
        assert sync_with_server(store, central.url(LOGIN)).ok
        device = store.device_id
    revoke_device(central.admin_url, device, reason="reported lost")

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await change_the_name(pilot, " Jr")
        await palette(pilot, "Sync now")

        shown = status(app)
        assert re.search(
            r"· This laptop was cut off from the central store on \w+ \d+ \w+ \d{4} at "
            r"\d\d:\d\d by postgres: reported lost\. Your unsynced work is kept on this laptop",
            shown,
        ), shown
        assert "1 change not yet synced" in shown

    with open_store(path, PASSPHRASE) as store:
        assert store.repository.get_case(saved.id, actor="test").answers["name"] == f"{NAME} Jr"
        assert store.repository.outbox_depth() == 1
    assert central.scalar("SELECT name FROM court_tui.cases") == NAME
