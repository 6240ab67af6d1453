"""The demo store: every demo case, all in today's cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from store_helpers import demo_files

from court_tui.domain.forms import FormSet
from court_tui.store import open_store
from court_tui.store.demo import DEMO_PASSPHRASE, make_demo_store


def test_demo_store_holds_every_demo_case_heard_today(tmp_path: Path, forms: FormSet) -> None:
    path = tmp_path / "demo.db"
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as store:
        today = store.repository.list_cases(on=date(2026, 5, 6))
        assert len(today) == len(demo_files()) == 6
        assert store.repository.pending_items(today=date(2026, 5, 6))
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as again:
        assert again.repository.count_cases() == 6
    with open_store(path, DEMO_PASSPHRASE, forms=forms) as reopened:
        assert reopened.repository.outbox_depth() == 6
