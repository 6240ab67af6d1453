"""`court-tui check FILE`: what an officer reads, and the exit codes scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from court_tui.cli import main
from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.casefile import dumps, loads
from court_tui.domain.forms import load_forms

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TODAY = "2026-03-02"


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_complete_case_exits_0_and_says_complete(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, str(DEMO / "complete-crc.json"), "--today", TODAY)
    assert code == 0
    assert "Status: Complete" in out
    assert "Allocation: Community Rehabilitation Company (CRC)" in out
    assert "RSR completed: by Tuesday 3 March 2026 - Met" in out


def test_blocked_case_exits_1_and_names_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    path = DEMO / "blocked-not-known-without-follow-up.json"
    code, out, _ = run_check(capsys, str(path), "--today", TODAY)
    assert code == 1
    assert "Status: Blocked" in out
    assert "Record who will find out the RSR score, what they will do and by when" in out
    assert "(provisional)" in out
    assert "Provisional because these are 'not known': the RSR score" in out


def test_nps_by_rsr_lists_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, str(DEMO / "nps-by-rsr-6.90.json"), "--today", TODAY)
    assert code == 0
    assert "Allocation: National Probation Service (NPS)" in out
    assert "RSR is 6.90 or higher (6.90)" in out


def test_json_output_carries_the_same_facts(capsys: pytest.CaptureFixture[str]) -> None:
    path = DEMO / "check-outstanding-at-sentence.json"
    code, out, _ = run_check(capsys, str(path), "--json", "--today", TODAY)
    assert code == 0
    result = json.loads(out)
    assert result["complete"] is True
    assert result["allocation"]["decision"] == "crc"
    assert result["allocation"]["provisional"] is False
    states = {c["check"]: c["state"] for c in result["checks"]}
    assert states == {"domestic_abuse": "Received", "safeguarding": "Outstanding"}
    due = [d for d in result["deadlines"] if d["id"].startswith("follow_up:")]
    assert due and due[0]["due"] == "2026-03-04"


def test_incomplete_case_lists_missing_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    forms = load_forms()
    record = loads((DEMO / "complete-crc.json").read_text(), forms)
    del record.answers["court"]
    record.answers["crn"] = "123456"
    path = tmp_path / "case.json"
    path.write_text(dumps(record))
    code, out, _ = run_check(capsys, str(path), "--today", TODAY, "--json")
    assert code == 1
    messages = [e["message"] for e in json.loads(out)["errors"]]
    assert "Enter the court" in messages
    assert "Enter the CRN in the correct format, like X123456" in messages


def test_unified_labels(capsys: pytest.CaptureFixture[str]) -> None:
    path = DEMO / "nps-by-mappa.json"
    code, out, _ = run_check(capsys, str(path), "--today", TODAY, "--labels", "unification")
    assert code == 0
    assert "Allocation: Retained (enhanced)" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "Not JSON"),
        ('{"name": "Jordan"}', "Not a court-tui case file"),
        ("[1, 2, 3]", "Not a court-tui case file"),
        ('{"format": "court-tui-case", "format_version": 9, "case": {}}', "newer court-tui"),
        ('{"format": "court-tui-case", "format_version": 1, "case": {"answers": 3}}', "answers"),
    ],
)
def test_unusable_files_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(content)
    code, out, err = run_check(capsys, str(path))
    assert code == 2
    assert words in err
    assert "Traceback" not in err + out


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_check(capsys, str(tmp_path / "nowhere.json"))
    assert code == 2
    assert "Cannot read" in err


def test_case_file_not_known_answer_round_trips_through_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    forms = load_forms()
    record = loads((DEMO / "complete-crc.json").read_text(), forms)
    record.answers["mappa_eligible"] = NOT_KNOWN
    path = tmp_path / "case.json"
    path.write_text(dumps(record))
    code, out, _ = run_check(capsys, str(path), "--today", TODAY)
    assert code == 1
    assert "Record who will find out whether the person is eligible for MAPPA" in out


def test_installed_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "court_tui", "check", str(DEMO / "nps-by-mappa.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "MAPPA eligible" in result.stdout
