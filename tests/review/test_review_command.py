"""`court-tui review`: the view as CSV (tab and filters as options), audited, and every
failure as one plain line, never a traceback."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from review_data import PASSPHRASE, SUPERVISOR, case, check, fill

from court_tui.cli import COMMAND_MODULES, main
from court_tui.store import Store
from court_tui.ui.review.app import ReviewApp

TODAY = "2026-03-02"
TODAY_DATE = date(2026, 3, 2)


@pytest.fixture
def db(review_store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    return review_store.path


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def run(*args: str) -> int:
    return main(["review", *args])


def test_review_is_a_command() -> None:
    assert "court_tui.commands.review" in COMMAND_MODULES


def test_csv_to_standard_output_is_the_tab_asked_for(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", str(db), "--csv", "--tab", "pending", "--today", TODAY) == 0
    out = capsys.readouterr().out
    rows = _csv(out)
    assert out.startswith(
        "case_id,case_name,crn,court,team,officer,kind,item_id,what,owner,requested,due,"
        "due_words,status,done_on,reviewed_by,review_note\r\n"
    )
    assert [row["case_name"] for row in rows] == [
        "Morgan Price",
        "Taylor Reid",
        "Jamie Walsh",
        "Jamie Walsh",
        "Morgan Price",
        "Casey Morgan",
        "Alex Brown",
        "Casey Morgan",
        "Robin Hughes",
    ]
    first = rows[0]
    assert (first["kind"], first["item_id"], first["due"], first["due_words"]) == (
        "check",
        "domestic_abuse",
        "2026-02-20",
        "Overdue by 6 working days",
    )
    assert (first["status"], first["requested"], first["done_on"]) == ("Overdue", "2026-02-16", "")


def test_csv_takes_the_filters_as_options(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(db), "--csv", "--tab", "pending", "--today", TODAY]
    assert run(*args, "--court", "Bradford Magistrates' Court", "--kind", "check") == 0
    assert [r["case_name"] for r in _csv(capsys.readouterr().out)] == [
        "Morgan Price",
        "Alex Brown",
    ]
    assert run(*args, "--team", "Leeds court team", "--officer", "Alex Khan") == 0
    assert [r["case_name"] for r in _csv(capsys.readouterr().out)] == [
        "Casey Morgan",
        "Casey Morgan",
        "Robin Hughes",
    ]
    assert run(*args, "--search", "walsh", "--kind", "follow_up") == 0
    assert [r["what"] for r in _csv(capsys.readouterr().out)] == ["Get the RSR score from OASys"]


def test_csv_to_a_file_with_every_item_of_the_received_tab(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "received.csv"
    assert run("--db", str(db), "--csv", str(target), "--tab", "received", "--today", TODAY) == 0
    assert capsys.readouterr().err.startswith(f"Wrote 3 item(s) to {target}.")
    rows = _csv(target.read_text(encoding="utf-8"))
    assert [(r["case_name"], r["status"], r["done_on"]) for r in rows] == [
        ("Taylor Reid", "Received", "2026-02-26"),
        ("Robin Hughes", "Closed", "2026-03-02"),
        ("Sasha Green", "Received", "2026-02-27"),
    ]


def test_the_csv_file_only_its_owner_can_read(db: Path, tmp_path: Path) -> None:
    # It names people and their checks: mode 600, even over a file that was readable.
    target, earlier = tmp_path / "pending.csv", tmp_path / "earlier.csv"
    earlier.write_text("old\n", encoding="utf-8")
    earlier.chmod(0o644)
    for path in (target, earlier):
        assert run("--db", str(db), "--csv", str(path), "--today", TODAY) == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text(encoding="utf-8").startswith("case_id,")


def test_an_export_is_recorded_as_a_disclosure_before_it_leaves(
    db: Path, review_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", str(db), "--csv", "--today", TODAY) == 0
    rows = [r for r in review_store.repository.audit_rows() if r.action == "disclose"]
    assert {r.case_id for r in rows} == {
        "0190f000-0000-7000-8000-000000000001",
        "0190f000-0000-7000-8000-000000000002",
        "0190f000-0000-7000-8000-000000000006",
    }
    assert {r.actor for r in rows} == {SUPERVISOR}
    assert rows[0].detail == "review CSV: overdue, filters none, to standard output"


def test_typed_text_never_becomes_a_spreadsheet_formula(
    db: Path, review_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(
        review_store,
        [
            case(
                21,
                '=HYPERLINK("http://example.invalid","x")',
                "Q123456",
                checks={"safeguarding": check(TODAY_DATE, TODAY_DATE)},
            )
        ],
    )
    assert run("--db", str(db), "--csv", "--tab", "due-soon", "--today", TODAY) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows[0]["case_name"] == '\'=HYPERLINK("http://example.invalid","x")'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2 March"], "--today must be a date like 2026-03-02, not '2 March'."),
        (["--server", "mysql://pat@db/central"], "The central store must be PostgreSQL"),
    ],
)
def test_bad_options_are_one_plain_line(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run("--db", str(db), "--csv", *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("court-tui review: ")
    assert message in err
    assert "Traceback" not in err


def test_a_wrong_passphrase_is_refused_plainly(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "not the passphrase")
    assert run("--db", str(db), "--csv") == 1
    err = capsys.readouterr().err
    assert err.startswith("court-tui review: ") and "passphrase" in err.lower()
    assert "Traceback" not in err


def test_no_store_and_no_passphrase_say_what_to_do(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    assert run("--db", str(tmp_path / "missing.db"), "--csv") == 1
    assert str(tmp_path / "missing.db") in capsys.readouterr().err
    monkeypatch.delenv("COURT_TUI_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    # No store is said first, with no word of a passphrase.
    assert run("--db", str(tmp_path / "missing.db"), "--csv") == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "missing.db") in err and "passphrase" not in err.lower()
    assert run("--db", str(db), "--csv") == 1
    assert "set $COURT_TUI_PASSPHRASE" in capsys.readouterr().err


def test_an_unreachable_central_store_is_one_plain_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://pat@/central?host={tmp_path}&port=1"
    assert run("--server", url, "--csv") == 1
    err = capsys.readouterr().err
    assert err.startswith("court-tui review: The central store could not do that")
    assert "Traceback" not in err


def test_without_csv_the_app_opens_on_the_tab_and_filters_given(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: dict[str, Any] = {}

    def fake_run(app: ReviewApp) -> None:
        opened.update(tab=app.tab, filters=app.filters, reviewer=app.source.reviewer)

    monkeypatch.setattr(ReviewApp, "run", fake_run)
    assert run("--db", str(db), "--tab", "due-soon", "--team", "Leeds court team") == 0
    assert opened["tab"].value == "due-soon"
    assert opened["filters"].team == "Leeds court team"
    assert opened["reviewer"] == SUPERVISOR
