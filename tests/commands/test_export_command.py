"""`court-tui export CASE --format pdf|txt|md --document ...` against a real store."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from court_tui.cli import main
from court_tui.domain.casefile import loads
from court_tui.domain.checks import check_lines
from court_tui.domain.forms import load_forms
from court_tui.domain.handover import must_read_items
from court_tui.domain.summary import section_answers
from court_tui.resources import data_dir
from court_tui.store import open_store

PASSPHRASE = "export command passphrase"
CASE_FILE = data_dir() / "demo" / "check-outstanding-at-sentence.json"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "store" / "court-tui.db"
    assert main(["import", "--db", str(path), str(CASE_FILE)]) == 0
    return path


def _case_id() -> str:
    return str(json.loads(CASE_FILE.read_text())["case"]["id"])


def _disclosures(db: Path) -> list[str]:
    with open_store(db, PASSPHRASE) as store:
        rows = store.repository.audit_rows(_case_id())
    return [row.detail for row in rows if row.action == "disclose"]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_txt_export_of_the_report_says_what_the_case_says(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    code = main(
        ["export", "X567890", "--format", "txt", "--document", "report", "--out", str(out)]
        + ["--db", str(db)]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    forms = load_forms()
    record = loads(CASE_FILE.read_text(), forms)
    assert text.splitlines()[:3] == ["OFFICIAL-SENSITIVE", "", "Oral report record"]
    for section_id in ("case", "report"):
        for answer in section_answers(record, forms, section_id):
            assert answer.text in text, answer.field
    for check_line in check_lines(record, forms):
        assert check_line in text
    assert "Read before you accept this case" not in text
    assert _disclosures(db) == [f"export report txt to {out}"]


def test_pdf_export_of_the_handover_is_one_recorded_disclosure(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "handover.pdf"
    args = ["export", _case_id(), "--format", "pdf", "--document", "handover"]
    assert main([*args, "--out", str(out), "--db", str(db)]) == 0
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages]
    text = _squash(" ".join(pages))
    forms = load_forms()
    record = loads(CASE_FILE.read_text(), forms)
    first = must_read_items(record, forms)[0]
    # The must-read items come first, straight after the case caption.
    assert f"Read before you accept this case {first.heading}" in text
    assert text.index("Read before you accept this case") < text.index("Follow-ups")
    for page in pages:
        assert "CRN X567890" in page
        assert page.count("OFFICIAL-SENSITIVE") == 2
    assert _disclosures(db) == [f"export handover pdf to {out}"]


def test_the_document_defaults_to_all_three(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "X567890", "--format", "md", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "## Part 1 of 3: Oral report record" in text
    assert "## Part 3 of 3: Handover summary" in text
    assert _disclosures(db) == ["export all md to standard output"]


def test_an_unknown_document_is_refused_before_anything_is_disclosed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["export", "X567890", "--format", "pdf", "--document", "letter", "--db", str(db)])
    assert _disclosures(db) == []


def test_unknown_allocation_labels_are_a_message_not_a_traceback(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURT_TUI_ALLOCATION_LABELS", "no-such-labels")
    assert main(["export", "X567890", "--format", "txt", "--db", str(db)]) == 2
    assert "Unknown allocation labels 'no-such-labels'" in capsys.readouterr().err
    assert _disclosures(db) == []


def test_a_pdf_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "court_tui",
                "export",
                "X123456",
                "--format",
                "pdf",
                "--db",
                str(tmp_path / "none.db"),
            ],
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert "add --out FILE.pdf" in result.stderr
    assert "Traceback" not in result.stderr
