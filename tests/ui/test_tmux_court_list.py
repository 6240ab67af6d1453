"""In a real terminal: tmux runs `court-tui open` at 80x24, the palette imports today's
court list, enter on a listed defendant starts their case, and the case's first section
shows what the list said, filled in."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from support.waiting import wait_until
from test_tmux_e2e import WAIT_SECONDS, Terminal, store_terminal
from ui_helpers import PASSPHRASE

from court_tui.store import open_store
from tests.support.court_lists import (
    libra_case,
    libra_document,
    libra_message,
    libra_session,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

# The fixture: tmux running `court-tui open` at 80x24 on a store of the demo cases.
__all__ = ["store_terminal"]


def test_import_a_list_and_start_a_case_from_it_in_a_real_terminal(
    store_terminal: tuple[Terminal, Path], tmp_path: Path
) -> None:
    terminal, store = store_terminal
    today = date.today()
    list_path = tmp_path / "list.xml"
    list_path.write_bytes(
        libra_message(
            [
                libra_document(
                    [
                        libra_session(
                            [
                                libra_case(
                                    "1",
                                    "MR Abraham LINCOLN",
                                    dob="12/02/1980",
                                    pnc="20030011985X",
                                    offences=[("TH68010", "Theft from a shop", "Took food")],
                                )
                            ],
                            room="03",
                            ou_code="B10JQ03",
                            doh=f"{today:%d/%m/%Y}",
                        )
                    ]
                )
            ]
        )
    )
    terminal.wait_for("Today's cases")
    terminal.keys("C-p")
    terminal.type("import a court")
    terminal.wait_for("Import a court list")
    terminal.keys("Enter")
    terminal.wait_for("Path to the file")
    terminal.type(str(list_path))
    terminal.keys("Enter")
    pane = terminal.wait_for("Court list: 1 listed", "Abraham Lincoln", "No record: enter starts")
    assert "Room 3, morning" in pane
    assert "Imported 1 listed defendant" in pane

    terminal.keys("Tab")  # from today's cases to the list
    terminal.keys("Enter")
    terminal.wait_for("Abraham Lincoln", "tasks completed")
    terminal.keys("Enter")
    pane = terminal.wait_for("Case and hearing", "Full name", "Abraham Lincoln")
    assert "(*) 1. Male" in pane  # the PNC and the rest are below, on the same form
    assert "12/2/1980" in pane and "= Tuesday 12 February 1980" in pane
    terminal.keys("C-s")
    # Only what the list cannot say is asked for: the CRN, the dates, the outcome.
    pane = terminal.wait_for("There is a problem", "Enter the CRN", "and 1 more")
    for filled in ("full name", "date of birth", "gender", "Enter the court", "hearing date",
                   "Enter the main offence"):  # fmt: skip
        assert filled not in pane, pane
    terminal.keys("Escape")
    terminal.keys("C-q")
    wait_until(lambda: not terminal.running(), "the app to end", timeout=WAIT_SECONDS)

    with open_store(store, PASSPHRASE) as opened:
        (started,) = [c for c in opened.repository.list_cases() if c.name == "Abraham Lincoln"]
        answers = opened.repository.get_case(started.id, actor="test").answers
    assert answers["date_of_birth"] == "1980-02-12"
    assert answers["gender"] == "male"
    assert answers["pnc"] == "2003/0011985X"
    assert answers["court"] == "Leeds Magistrates' Court"
    assert answers["courtroom"] == "3"
    assert answers["hearing_date"] == today.isoformat()
    assert answers["main_offence"] == "Theft from a shop"
