"""In a real terminal: tmux runs `court-tui demo` at 80x24, keys open a new case and fill
its first section, the pane shows the answers to check, and ctrl+q ends the app cleanly;
and a whole case, to the handover sent, typed in bursts at full speed lands every answer in
its own field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from support.waiting import wait_until

from court_tui.domain.deadlines import add_working_days

COURT_TUI = Path(sys.executable).with_name("court-tui")
WAIT_SECONDS = 30.0
KEY_PAUSE = 0.15

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Terminal:
    """One tmux server of our own, with one 80x24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "app", *keys)
        self.settle()

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "app", "-l", text)
        self.settle()

    def settle(self) -> None:
        """Wait until the screen (colours included) stops changing, as a typist would: keys
        that arrive in one burst with a tab go to the field the tab is leaving."""
        last: list[str] = []

        def unchanged() -> bool:
            shown = self.tmux("capture-pane", "-e", "-p", "-t", "app").stdout
            same = last == [shown]
            last[:] = [shown]
            return same

        wait_until(
            unchanged, "the screen to stop changing", timeout=WAIT_SECONDS, interval=KEY_PAUSE
        )

    def pane(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app").stdout

    def wait_for(self, *texts: str) -> str:
        """The pane once it shows every one of TEXTS (the app answers in its own time)."""
        shown = [""]

        def showing() -> str:
            shown[0] = self.pane()
            return shown[0] if all(text in shown[0] for text in texts) else ""

        return wait_until(
            showing, lambda: f"the pane to show {texts}:\n{shown[0]}", timeout=WAIT_SECONDS
        )

    def running(self) -> bool:
        return self.tmux("has-session", "-t", "app").returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"court-tui-e2e-{os.getpid()}")
    env = {**os.environ, "TERM": "xterm-256color", "HOME": str(tmp_path)}
    env.pop("NO_COLOR", None)
    command = f"{COURT_TUI} demo; echo exit=$? > {tmp_path / 'exit'}"
    subprocess.run(
        [
            "tmux",
            "-L",
            term.socket,
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            "80",
            "-y",
            "24",
            command,
        ],
        env=env,
        check=True,
    )
    try:
        yield term
    finally:
        term.tmux("kill-server")


def test_demo_new_case_first_section_in_a_real_terminal(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.wait_for("Today's cases", "6 cases.", "Taylor Reid")
    terminal.keys("n")
    terminal.wait_for("Unnamed case", "tasks completed")
    terminal.keys("Enter")
    terminal.wait_for("Case and hearing", "Full name")
    steps = [
        ("Morgan Lee", 1),
        ("4/7/1994", 1),
        ("2", 1),  # gender: female
        ("X765432", 2),  # past the 'Not known' box
        ("", 2),  # no PNC number yet
        ("", 1),  # the court, filled in from the officer's profile
        ("2", 1),
        ("", 1),  # the hearing date: today
        ("Theft from a shop", 1),
        ("", 1),
        ("1/2/2026", 1),
        ("", 1),
        ("16/2/2026", 1),
        ("1", 1),  # community order
        ("today", 0),
    ]
    for text, tabs in steps:
        if text:
            terminal.type(text)
        for _ in range(tabs):
            terminal.keys("Tab")
    terminal.keys("C-s")
    pane = terminal.wait_for("Check your answers: Case and hearing", "Morgan Lee")
    assert "Female" in pane
    assert "X765432" in pane
    assert "Monday 4 July 1994" in pane
    terminal.keys("C-s")
    pane = terminal.wait_for("Morgan Lee (X765432)", "tasks completed")
    assert "Enter the case and hearing details" in pane
    terminal.keys("C-q")
    wait_until(lambda: not terminal.running(), "the app to end", timeout=WAIT_SECONDS)
    assert (tmp_path / "exit").read_text().strip() == "exit=0"


@pytest.fixture
def store_terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """tmux running `court-tui open` at 80x24 on a store of the demo cases, with where
    the officer's cases go set once (Settings)."""
    from ui_helpers import PASSPHRASE, fill_store

    from court_tui.store import open_store

    store = tmp_path / "cases.db"
    fill_store(store)
    with open_store(store, PASSPHRASE) as opened:  # set once, as in Settings
        for key, value in OFFICES.items():
            opened.repository.put_setting(key, value)
    term = Terminal(f"court-tui-e2e-fast-{os.getpid()}")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "COURT_TUI_DB": str(store),
        "COURT_TUI_PASSPHRASE": PASSPHRASE,
    }
    env.pop("NO_COLOR", None)
    command = f"{COURT_TUI} open; echo exit=$? > {tmp_path / 'exit'}"
    subprocess.run(
        ["tmux", "-L", term.socket, "new-session", "-d", "-s", "app", "-x", "80", "-y", "24"]
        + [command],
        env=env,
        check=True,
    )
    try:
        yield term, store
    finally:
        term.tmux("kill-server")


# Each section typed as one burst: text, choices by number and tabs, with no wait between
# fields, as a practised officer types ahead of the screen.
CASE_KEYS = [
    *["Mo Lee", "Tab", "4/7/1994", "Tab", "2", "Tab", "X765432", "Tab", "Tab"],
    *["Tab", "Tab", "Tab", "Tab", "Tab"],  # PNC and its 'Not known', court, room, hearing
    *["Theft", "Tab", "Tab", "1/2/2026", "Tab", "Tab"],
    *["16/2/2026", "Tab", "1", "Tab", "today"],
]
# 'Oral' shows thirteen more questions: the tab after it must go to the first of them.
REPORT_KEYS = [
    *["1", "Tab", "Took food", "Tab", "First", "Tab", "2", "Tab", "Space", "Tab"],
    *["Tab", "Tab", "Interview", "Tab", "1", "Tab", "Tab", "Tab", "Tab"],
    *["Low risk", "Tab", "None known", "Tab", "1", "Tab", "Fine", "Tab", "2", "Tab"],
    *["Space", "Tab", "Sam", "Tab", "Leeds", "Tab", "today"],
]
# From here on, enter moves on past answers filled in, and 't' is today.
CHECKS_KEYS = [
    *["1", "Enter", "-1", "Tab", "Tab", "t", "Tab", "t", "Tab", "1", "Tab", "Tab"],
    *["1", "Enter", "-1", "Tab", "Tab", "t", "Tab", "t", "Tab", "1"],
]
RSR_KEYS = ["1", "Tab", "2.51", "Enter", "t"]
ROSH_KEYS = ["t", "Tab", "1", "Tab", "2"]
# MAPPA, deportation and public interest no; enter passes the four assessments filled in
# from the report and the allocation the rules chose, to the notes; tab leaves them. The
# place is the one set for CRC cases, filled in as the rules choose CRC.
CAS_KEYS = [*["2", "Tab", "2", "Tab", "2", "Enter", "Tab", "2", "Tab", "+2", "Tab"]]
CAS_KEYS += ["14:30"]
# Where the officer's cases go, set once: the office teams, the first appointment places.
OFFICES = {
    "handover_team_nps": "Leeds NPS",
    "handover_team_crc": "Leeds CRC",
    "first_appointment_place_nps": "Albion Street, Leeds",
    "first_appointment_place_crc": "Leeds",
}


def test_a_case_typed_at_full_speed_lands_every_answer_in_its_field(
    store_terminal: tuple[Terminal, Path], tmp_path: Path
) -> None:
    from ui_helpers import PASSPHRASE

    from court_tui.store import open_store

    terminal, store = store_terminal
    terminal.wait_for("Today's cases", "Press n to start")
    terminal.keys("n")
    terminal.wait_for("Unnamed case", "tasks completed")
    terminal.keys("Enter")
    terminal.wait_for("Case and hearing", "Full name")
    terminal.keys(*CASE_KEYS, "C-s", "C-s")
    terminal.wait_for("Mo Lee (X765432)", "tasks completed")
    terminal.keys("Enter")  # the cursor is on the next task not completed: the report
    terminal.wait_for("Type of report")
    terminal.keys(*REPORT_KEYS, "C-s", "C-s")
    for keys, first_question in (
        (CHECKS_KEYS, "Domestic abuse check (police)"),
        (RSR_KEYS, "Where does the score come from?"),
        (ROSH_KEYS, "Date of the RoSH screening"),
        (CAS_KEYS, "Is the person eligible for MAPPA?"),
    ):
        terminal.wait_for("Mo Lee (X765432)", "tasks completed")
        terminal.keys("Enter")  # the next task not completed
        terminal.wait_for(first_question)
        terminal.keys(*keys, "C-s", "C-s")
    terminal.wait_for("Mo Lee (X765432)", "7 of 8 tasks completed")
    terminal.keys("Enter")  # the handover, pre-filled with the office team for CRC cases
    terminal.wait_for("Check the handover", "Press ctrl+s to send it to the Leeds CRC team")
    terminal.keys("C-s")
    terminal.wait_for("Handover sent", "Sent to the Leeds CRC team.")
    terminal.keys("C-q")
    wait_until(lambda: not terminal.running(), "the app to end", timeout=WAIT_SECONDS)
    assert (tmp_path / "exit").read_text().strip() == "exit=0"

    with open_store(store, PASSPHRASE) as opened:
        case_id = next(s.id for s in opened.repository.list_cases() if s.name == "Mo Lee")
        record = opened.repository.get_case(case_id, actor="test")
        answers = record.answers
    assert (record.handover.sent_to, record.handover.sent_to_team) == (None, "Leeds CRC")
    expected = {
        "name": "Mo Lee",
        "date_of_birth": "1994-07-04",
        "gender": "female",
        "crn": "X765432",
        "main_offence": "Theft",
        "main_offence_date": "2026-02-01",
        "conviction_date": "2026-02-16",
        "sentence_type": "community_order",
        "psr_type": "oral",
        "offence_analysis": "Took food",
        "pattern_of_offending": "First",
        "escalation_in_seriousness": "no",
        "evidence_for_assessment": "Interview",
        "officer_assessment": "Low risk",
        "rosh_evidence": "None known",
        "proposal": "Fine",
        "rar_proposed": "no",
        "report_author": "Sam",
        "report_office": "Leeds",
        "rsr_source": "oasys",
        "rsr_score": "2.51",
        "rosh_level": "LOW",
        "rosh_full_analysis_needed": "no",
        "mappa_eligible": "no",
        "deportation_eligible": "no",
        "public_interest": "no",
        "allocation_decision": "crc",
        "risk_review_required": "no",
        "first_appointment_time": "14:30",
        "first_appointment_place": "Leeds",
    }
    assert {key: answers.get(key) for key in expected} == expected
    today = date.today()
    for day in ("sentence_date", "report_date", "rsr_date", "rosh_screening_date"):
        assert answers[day] == today.isoformat(), day
    assert answers["first_appointment_date"] == add_working_days(today, 2).isoformat()
    for kind in ("domestic_abuse", "safeguarding"):
        check = record.check(kind).as_answers()
        assert check["agency"] and check["result"] == "no_concerns", (kind, check)
        assert check["requested_on"] == add_working_days(today, -1).isoformat()
        assert check["expected_by"] == check["received_on"] == today.isoformat()
